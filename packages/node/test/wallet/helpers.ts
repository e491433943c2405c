/** Wallet tests: a dev node process, an ApiPromise, and signing that waits for the block holding the extrinsic. */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';

export interface Included {
  blockHash: string;
  /** The extrinsic's events, as [section.method, data as JSON]. */
  events: EventRecord[];
  names: string[];
  /** `TransactionFeePaid.actual_fee + tip`, what the signer paid. */
  fee: bigint;
  failed: boolean;
  /** Decoded dispatch error of ExtrinsicFailed: `section.name`, or the error kind. */
  error?: string;
}

/** Signs and submits `tx`, resolving once it is in a block, with its events. */
export function send(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
): Promise<Included> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (result) => {
      const done = result.status.isInBlock || result.status.isFinalized;
      if (result.isError && !done) {
        unsub?.();
        reject(new Error(`extrinsic ${result.status.type}`));
        return;
      }
      // polkadot-js skips `inBlock` when `finalized` arrives while it still fetches the block's events (a loaded
      // machine, finality 250 ms after import): either status carries the events.
      if (!done) return;
      unsub?.();
      const events = result.events;
      let fee = 0n;
      let failed = false;
      let error: string | undefined;
      for (const { event } of events) {
        if (event.section === 'transactionPayment' && event.method === 'TransactionFeePaid') {
          const [, actual, tip] = event.data as unknown as [
            unknown,
            { toBigInt(): bigint },
            { toBigInt(): bigint },
          ];
          fee = actual.toBigInt() + tip.toBigInt();
        }
        if (event.section === 'system' && event.method === 'ExtrinsicFailed') {
          failed = true;
          error = describeError(api, (event.data as any)[0]);
        }
      }
      resolve({
        blockHash: (result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized).toHex(),
        events: [...events],
        names: events.map(({ event }) => `${event.section}.${event.method}`),
        fee,
        failed,
        error,
      });
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/** `section.Name` of a module error, else the DispatchError variant (and its inner kind). */
export function describeError(api: ApiPromise, e: any): string {
  if (e.isModule) {
    const m = api.registry.findMetaError(e.asModule);
    return `${m.section}.${m.name}`;
  }
  const inner = e.value && typeof e.value.type === 'string' ? `.${e.value.type}` : '';
  return `${e.type}${inner}`;
}

export async function free(api: ApiPromise, who: string): Promise<bigint> {
  return (await api.query.system.account(who)).data.free.toBigInt();
}

export async function reserved(api: ApiPromise, who: string): Promise<bigint> {
  return (await api.query.system.account(who)).data.reserved.toBigInt();
}
