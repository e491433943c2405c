/**
 * A window onto a message's instructions, what Rust's barriers get as `&mut [Instruction]`: barriers read it, may
 * replace an instruction (`AllowTopLevelPaidExecutionFrom` sets `BuyExecution`'s weight limit) and hand sub-windows
 * to inner barriers (`WithComputedOrigin`, `TrailingSetTopicAsId`) without copying, so a rewrite reaches the message
 * the executor then runs.
 */
import type { Instruction, Xcm } from '../index.ts';

export class InstructionSlice {
  readonly start: number;
  readonly end: number;

  constructor(
    readonly xcm: Xcm,
    start = 0,
    end = xcm.length,
  ) {
    this.start = Math.max(0, Math.min(start, xcm.length));
    this.end = Math.max(this.start, Math.min(end, xcm.length));
  }

  get length(): number {
    return this.end - this.start;
  }

  at(i: number): Instruction | undefined {
    return i >= 0 && i < this.length ? this.xcm[this.start + i] : undefined;
  }

  set(i: number, instruction: Instruction): void {
    if (i < 0 || i >= this.length) throw new RangeError(`instruction ${i} outside a slice of ${this.length}`);
    this.xcm[this.start + i] = instruction;
  }

  last(): Instruction | undefined {
    return this.at(this.length - 1);
  }

  /** `&mut self[from..to]` (indices relative to this slice). */
  slice(from: number, to = this.length): InstructionSlice {
    return new InstructionSlice(this.xcm, this.start + from, this.start + Math.min(to, this.length));
  }

  toArray(): Xcm {
    return this.xcm.slice(this.start, this.end);
  }
}
