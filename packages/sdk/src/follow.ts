/**
 * Every block of a chain from a given number on, in order, none skipped: new heads wake the loop and any blocks
 * between two heads are read by number. What watchers need to see each event exactly once.
 */
import type { ApiPromise } from '@polkadot/api';

export interface FollowedBlock {
  number: number;
  hash: string;
}

/**
 * Yields blocks `from`, `from + 1`, … as the chain's best block reaches them, until `signal` aborts.
 *
 * @example
 * for await (const b of followBlocks(api, 10, signal)) console.log(b.number, b.hash);
 */
export async function* followBlocks(
  api: ApiPromise,
  from: number,
  signal?: AbortSignal,
): AsyncGenerator<FollowedBlock> {
  let wake: (() => void) | undefined;
  let best = 0;
  const unsub = await api.rpc.chain.subscribeNewHeads((h: any) => {
    best = Math.max(best, h.number.toNumber());
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    best = Math.max(best, (await api.rpc.chain.getHeader()).number.toNumber());
    let next = from;
    while (!signal?.aborted) {
      while (next <= best && !signal?.aborted) {
        const hash = (await api.rpc.chain.getBlockHash(next)).toHex();
        yield { number: next, hash };
        next++;
      }
      if (signal?.aborted) break;
      await new Promise<void>((r) => {
        wake = r;
        if (next <= best || signal?.aborted) r();
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsub();
  }
}

/** The events of a block (`[{ phase, event: { section, method, data } }]`). */
export async function eventsAt(api: ApiPromise, hash: string): Promise<any[]> {
  return [...((await api.query.system.events.at(hash)) as any)];
}
