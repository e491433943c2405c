/** The deterministic chain the crash test's child writes and the parent checks against. */
import { type BuiltBlock, childBlock, genesisBlock } from './chain-builder.ts';

export const CRASH_WINDOW = 8;
export const FINALITY_LAG = 3;

export function crashChanges(n: number): Record<string, string | null> {
  return {
    [`k${n % 7}`]: `v${n}`,
    [`big${n % 3}`]: 'x'.repeat((n % 5) * 2000 + 1),
    [`k${(n + 3) % 7}`]: n % 4 === 0 ? null : `w${n}`,
  };
}

/** Main-chain blocks 0..upTo (each built on the previous one). */
export function crashChain(upTo: number): BuiltBlock[] {
  const out: BuiltBlock[] = [genesisBlock({ ':code': 'runtime', k0: 'init' })];
  for (let n = 1; n <= upTo; n++) out.push(childBlock(out[n - 1], crashChanges(n)));
  return out;
}
