/**
 * `sp_weights::WeightMeter`: a limit and what was consumed of it. Message processing checks each step against it
 * before committing to the step (message-queue's "bailing"), so `on_initialize` never exceeds its limit.
 */
import { addWeight, allLte, type Weight, weight } from '../../frame/weights.ts';

export class WeightMeter {
  #consumed: Weight = weight(0, 0);

  constructor(readonly limit: Weight) {}

  /** A meter without a limit (`WeightMeter::new`). */
  static unlimited(): WeightMeter {
    return new WeightMeter(weight(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  }

  consumed(): Weight {
    return { ...this.#consumed };
  }

  remaining(): Weight {
    return {
      refTime: Math.max(0, this.limit.refTime - this.#consumed.refTime),
      proofSize: Math.max(0, this.limit.proofSize - this.#consumed.proofSize),
    };
  }

  /** Whether `w` more fits in both dimensions. */
  canConsume(w: Weight): boolean {
    return allLte(addWeight(this.#consumed, w), this.limit);
  }

  /** Consumes `w` if it fits; otherwise consumes nothing and returns false. */
  tryConsume(w: Weight): boolean {
    if (!this.canConsume(w)) return false;
    this.#consumed = addWeight(this.#consumed, w);
    return true;
  }

  /** Consumes `w` even beyond the limit (`consume`, saturating): for weight already spent. */
  consume(w: Weight): void {
    this.#consumed = addWeight(this.#consumed, w);
  }

  /** The larger of the two dimensions' consumed/limit ratios. */
  consumedRatio(): number {
    const r = (c: number, l: number) => (l === 0 ? (c === 0 ? 0 : 1) : c / l);
    return Math.max(
      r(this.#consumed.refTime, this.limit.refTime),
      r(this.#consumed.proofSize, this.limit.proofSize),
    );
  }
}
