/** Shared helpers for the node's in-process tests: a Node on an ephemeral port and a time-boxed ApiPromise. */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Node, type NodeOptions } from '../../src/node.ts';

export async function startNode(opts: NodeOptions = {}): Promise<{ node: Node; url: string }> {
  const node = new Node({ chain: 'dev', tmp: true, rpcPort: 0, sealing: { kind: 'instant' }, ...opts });
  const info = await node.start();
  return { node, url: info.rpcUrl };
}

/** `ApiPromise.create` never rejects when the node answers errors: give up after `ms`. */
export async function connectApi(url: string, ms = 20_000): Promise<ApiPromise> {
  const provider = new WsProvider(url, false);
  await provider.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`ApiPromise.create did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } catch (err) {
    await provider.disconnect().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function waitFor(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
