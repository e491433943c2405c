/**
 * One `@polkadot/api` connection per chain, opened on first use, with a deadline: an endpoint that does not answer
 * is a {@link NodeUnreachableError} naming it, not a client that retries forever.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Endpoints } from './endpoints.ts';
import { NodeUnreachableError, UnknownChainError } from './errors.ts';
import type { ChainDescription, NetworkDescription } from './networks.ts';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export class ChainConnections {
  readonly endpoints: Endpoints;
  readonly network: NetworkDescription;
  readonly #timeoutMs: number;
  readonly #apis = new Map<string, Promise<ApiPromise>>();

  constructor(endpoints: Endpoints, network: NetworkDescription, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
    this.endpoints = endpoints;
    this.network = network;
    this.#timeoutMs = timeoutMs;
  }

  /** Chains both described by the network and present in the endpoints. */
  get chainIds(): string[] {
    return this.network.chains.map((c) => c.id).filter((id) => this.endpoints.parachains[id] !== undefined);
  }

  /** The description of a chain the endpoints list; {@link UnknownChainError} otherwise. */
  chain(id: string): ChainDescription {
    const c = this.network.chains.find((x) => x.id === id);
    if (!c || !this.endpoints.parachains[id]) throw new UnknownChainError(id, this.chainIds);
    return c;
  }

  url(id: string): string {
    if (id === 'relay') return this.endpoints.relay.ws;
    this.chain(id);
    return this.endpoints.parachains[id]!.ws;
  }

  /** The API of `id` ('relay' or a parachain id), connected. */
  api(id: string): Promise<ApiPromise> {
    const url = this.url(id);
    let p = this.#apis.get(id);
    if (!p) {
      p = connect(url, this.#timeoutMs, id);
      this.#apis.set(id, p);
      p.catch(() => this.#apis.delete(id));
    }
    return p;
  }

  async disconnect(): Promise<void> {
    const all = [...this.#apis.values()];
    this.#apis.clear();
    await Promise.all(all.map((p) => p.then((a) => a.disconnect()).catch(() => {})));
  }
}

async function connect(url: string, timeoutMs: number, name: string): Promise<ApiPromise> {
  const provider = new WsProvider(url, false);
  const unreachable = (why: string, cause?: unknown) =>
    new NodeUnreachableError(
      url,
      `${name} at ${url} is not reachable (${why}): is the devnet running? check --endpoints`,
      { cause },
    );
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await provider.connect();
    return await Promise.race([
      ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(unreachable(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    await provider.disconnect().catch(() => {});
    if (err instanceof NodeUnreachableError) throw err;
    throw unreachable((err as Error).message || 'connection refused', err);
  } finally {
    clearTimeout(timer);
  }
}
