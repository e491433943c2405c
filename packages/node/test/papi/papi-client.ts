/**
 * polkadot-api (PAPI 2.x) against a node process, exactly as a user connects: `createClient(getWsRawProvider(url))`,
 * the native provider with no translation to the legacy RPC. Every method PAPI sends is recorded, so tests can show
 * that it spoke only the new JSON-RPC spec. Dev signers are polkadot-js keyring pairs behind PAPI's
 * `getPolkadotSigner` (sr25519, the dev phrase's //Alice, //Bob, …).
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { createClient, type PolkadotClient, type PolkadotSigner } from 'polkadot-api';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { getWsRawProvider, SocketEvents } from 'polkadot-api/ws';

export interface PapiConnection {
  client: PolkadotClient;
  /** Methods PAPI sent, in order. */
  methods: string[];
  /** Every JSON message PAPI received. */
  received: any[];
  destroy(): void;
}

export function connectPapi(wsUrl: string): PapiConnection {
  const methods: string[] = [];
  const received: any[] = [];
  const provider = getWsRawProvider(wsUrl, {
    logger: (e) => {
      if (e.type === SocketEvents.OUT) {
        const m = JSON.parse(e.msg);
        for (const r of Array.isArray(m) ? m : [m]) methods.push(r.method);
      } else if (e.type === SocketEvents.IN) {
        received.push(JSON.parse(e.msg));
      }
    },
  });
  const client = createClient(provider);
  return { client, methods, received, destroy: () => client.destroy() };
}

export interface DevSigner {
  pair: KeyringPair;
  address: string;
  signer: PolkadotSigner;
}

export async function devSigner(uri: string): Promise<DevSigner> {
  await cryptoWaitReady();
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri);
  return {
    pair,
    address: pair.address,
    signer: getPolkadotSigner(pair.publicKey, 'Sr25519', (msg) => pair.sign(msg)),
  };
}

/** Resolves with the first value of `subscribe` that satisfies `done`, or rejects after `ms`. */
export function until<T>(
  subscribe: (next: (v: T) => void, error: (e: unknown) => void) => { unsubscribe(): void },
  done: (v: T) => boolean,
  ms: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let sub: { unsubscribe(): void } | undefined;
    let finished = false;
    const finish = (f: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      queueMicrotask(() => sub?.unsubscribe());
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}`))), ms);
    sub = subscribe(
      (v) => {
        if (done(v)) finish(() => resolve(v));
      },
      (e) => finish(() => reject(e)),
    );
    if (finished) sub.unsubscribe();
  });
}
