/**
 * The storage node's only way to Crust: its JSON-RPC, through `@polkadot/api`, as an operator's node talks to a
 * real chain. Reads (heads, events, `market.filesV2`, swork identities, groups, work reports), and extrinsics
 * signed by the node's account, one in the pool at a time (each waits until the previous one is in the pool, so
 * `system_accountNextIndex` counts it), each resolving once it is in a block with its events, or rejecting with
 * the dispatch error's name.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { CRUST_DEVNET_DURATIONS, CRUST_PRODUCTION_DURATIONS } from '@xstorage/runtime/runtimes/crust';

export class ChainDispatchError extends Error {
  override name = 'ChainDispatchError';
  /** `Module.Error` name (e.g. `swork.AlreadyReported`) or the dispatch error's kind. */
  readonly error: string;
  constructor(error: string, message?: string) {
    super(message ?? `dispatch failed: ${error}`);
    this.error = error;
  }
}

export class ChainTransactionError extends Error {
  override name = 'ChainTransactionError';
}

export interface ChainEvent {
  section: string;
  method: string;
  /** The event's fields, as polkadot-js decodes them (Codec objects). */
  data: any;
}

export interface Head {
  number: number;
  hash: string;
}

/** What the node reads of one `market.filesV2` entry. */
export interface ChainFile {
  cid: string;
  fileSize: number;
  expiredAt: number;
  reportedReplicaCount: number;
  /** Group owners (SS58) holding a replica, and who reported each. */
  replicas: Array<{ owner: string; who: string }>;
}

export interface InBlock {
  blockHash: string;
  blockNumber: number;
  events: ChainEvent[];
}

export class CrustClient {
  readonly api: ApiPromise;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(api: ApiPromise) {
    this.api = api;
  }

  static async connect(url: string, signal?: AbortSignal): Promise<CrustClient> {
    const provider = new WsProvider(url, 1_000);
    const api = new ApiPromise({ provider, noInitWarn: true });
    const onAbort = () => void api.disconnect().catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await api.isReadyOrError;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return new CrustClient(api);
  }

  async disconnect(): Promise<void> {
    await this.api.disconnect().catch(() => {});
  }

  get ss58Prefix(): number {
    return this.api.registry.chainSS58 ?? 42;
  }

  /**
   * The report slot in blocks. Crust's runtime exposes no constant for it (it is `REPORT_SLOT` in its primitives);
   * our devnet runtime (impl `xstorage-crust-devnet`) runs the devnet durations, any other Crust runtime 600.
   */
  reportSlot(): number {
    const impl = this.api.runtimeVersion.implName.toString();
    return impl.endsWith('-devnet')
      ? CRUST_DEVNET_DURATIONS.reportSlot
      : CRUST_PRODUCTION_DURATIONS.reportSlot;
  }

  fileDuration(): number {
    return Number((this.api.consts.market.fileDuration as any).toString());
  }

  /** New best heads; returns the unsubscribe function. */
  async onHead(cb: (head: Head) => void): Promise<() => void> {
    return this.api.rpc.chain.subscribeNewHeads((header) => {
      cb({ number: header.number.toNumber(), hash: header.hash.toHex() });
    });
  }

  async bestHead(): Promise<Head> {
    const header = await this.api.rpc.chain.getHeader();
    return { number: header.number.toNumber(), hash: header.hash.toHex() };
  }

  async blockHash(n: number): Promise<Uint8Array> {
    return (await this.api.rpc.chain.getBlockHash(n)).toU8a();
  }

  async eventsAt(hash: string): Promise<ChainEvent[]> {
    // `query.system.events.at` reads one key at that block without decorating a whole API for it (`api.at`).
    const records = (await this.api.query.system.events.at(hash)) as any;
    return records.map((r: any) => ({
      section: r.event.section,
      method: r.event.method,
      data: r.event.data,
    }));
  }

  async file(cid: string): Promise<ChainFile | undefined> {
    const value = (await this.api.query.market.filesV2(cid)) as any;
    if (value.isNone) return undefined;
    return this.decodeFile(cid, value.unwrap());
  }

  /** One page of `market.filesV2` in key order, from after `startKey`; `next` is undefined after the last page. */
  async scanFiles(
    startKey: string | undefined,
    pageSize: number,
  ): Promise<{ files: ChainFile[]; next?: string }> {
    const entries = await this.api.query.market.filesV2.entriesPaged({
      args: [],
      pageSize,
      startKey,
    } as never);
    const files: ChainFile[] = [];
    for (const [key, value] of entries as any[]) {
      const cid = bytesToString(key.args[0].toU8a(true));
      if ((value as any).isSome) files.push(this.decodeFile(cid, (value as any).unwrap()));
    }
    const last = (entries as any[]).at(-1);
    return { files, next: (entries as any[]).length === pageSize && last ? last[0].toHex() : undefined };
  }

  private decodeFile(cid: string, f: any): ChainFile {
    const replicas: ChainFile['replicas'] = [];
    for (const [owner, replica] of f.replicas.entries())
      replicas.push({ owner: owner.toString(), who: replica.who.toString() });
    return {
      cid,
      fileSize: Number(f.fileSize.toString()),
      expiredAt: f.expiredAt.toNumber(),
      reportedReplicaCount: f.reportedReplicaCount.toNumber(),
      replicas,
    };
  }

  /** `swork.identities(who)`: the anchor (hex) and group owner (SS58), if the account reported once. */
  async identity(who: string): Promise<{ anchor: string; group?: string } | undefined> {
    const v = (await this.api.query.swork.identities(who)) as any;
    if (v.isNone) return undefined;
    const id = v.unwrap();
    return { anchor: id.anchor.toHex(), group: id.group.isSome ? id.group.unwrap().toString() : undefined };
  }

  /** `swork.groups(owner)`: members and allowlist (SS58), or undefined when no such group. */
  async group(owner: string): Promise<{ members: string[]; allowlist: string[] } | undefined> {
    if (!((await this.api.query.swork.groups.size(owner)) as any).toNumber()) return undefined;
    const g = (await this.api.query.swork.groups(owner)) as any;
    return {
      members: [...g.members].map((m: any) => m.toString()),
      allowlist: [...g.allowlist].map((m: any) => m.toString()),
    };
  }

  /** Whether worker key `pk` is registered (`swork.pubKeys` has a code for it). */
  async isRegistered(pk: Uint8Array): Promise<boolean> {
    const info = (await this.api.query.swork.pubKeys(u8aToHex(pk))) as any;
    return info.code.length > 0;
  }

  async workReport(
    anchor: string,
  ): Promise<{ slot: number; filesSize: bigint; filesRoot: string } | undefined> {
    const v = (await this.api.query.swork.workReports(anchor)) as any;
    if (v.isNone) return undefined;
    const wr = v.unwrap();
    return {
      slot: Number(wr.reportSlot.toString()),
      filesSize: BigInt(wr.reportedFilesSize.toString()),
      filesRoot: wr.reportedFilesRoot.toHex(),
    };
  }

  /** Registered workers on the chain (`swork.identities` entries): smanager's node count. */
  async workerCount(): Promise<number> {
    return (await this.api.query.swork.identities.keys()).length;
  }

  async freeBalance(who: string): Promise<bigint> {
    const acc = (await this.api.query.system.account(who)) as any;
    return BigInt(acc.data.free.toString());
  }

  /**
   * Signs `tx` with `signer` and sends it; resolves once it is in a block (or, with `finalized`, in a finalized
   * block) without a dispatch error. Submissions of this client enter the pool one after another, so nonces never
   * collide.
   */
  submit(
    tx: SubmittableExtrinsic<'promise'>,
    signer: KeyringPair,
    options: { signal?: AbortSignal; finalized?: boolean; timeoutMs?: number } = {},
  ): Promise<InBlock> {
    const { signal, finalized = false } = options;
    // A transaction the pool keeps but never includes (a nonce gap, a lost subscription after a reconnect) must not
    // hold the caller forever: reports and challenge answers go out again from their own state (pending report).
    const timeoutMs = options.timeoutMs ?? (finalized ? 240_000 : 120_000);
    let pooled!: () => void;
    const inPool = new Promise<void>((r) => {
      pooled = r;
    });
    const previous = this.queue;
    this.queue = previous.then(() => inPool).catch(() => {});
    return previous.then(
      () =>
        new Promise<InBlock>((resolve, reject) => {
          let unsub: (() => void) | undefined;
          let settled = false;
          const timer = setTimeout(
            () =>
              finish(
                new ChainTransactionError(
                  `not ${finalized ? 'finalized' : 'in a block'} after ${Math.round(timeoutMs / 1000)} s`,
                ),
              ),
            timeoutMs,
          );
          // Waiting for an answer must not keep a stopping process alive.
          timer.unref();
          const finish = (err?: Error, value?: InBlock) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            pooled();
            unsub?.();
            signal?.removeEventListener('abort', onAbort);
            if (err) reject(err);
            else resolve(value!);
          };
          const onAbort = () => finish(new ChainTransactionError('aborted'));
          signal?.addEventListener('abort', onAbort, { once: true });
          tx.signAndSend(signer, { nonce: -1 }, (result: any) => {
            if (result.status.isReady || result.status.isBroadcast || result.status.isInBlock) pooled();
            // A parachain block can lose its place to a sibling until the relay chain includes it: what must not
            // be lost (registration, group, funds) waits for finality.
            if (finalized ? result.status.isFinalized : result.status.isInBlock) {
              const blockHash = (finalized ? result.status.asFinalized : result.status.asInBlock).toHex();
              if (result.dispatchError) return finish(this.dispatchError(result.dispatchError));
              const events = result.events.map((r: any) => ({
                section: r.event.section,
                method: r.event.method,
                data: r.event.data,
              }));
              void this.api.rpc.chain.getHeader(blockHash).then(
                (h) => finish(undefined, { blockHash, blockNumber: h.number.toNumber(), events }),
                () => finish(undefined, { blockHash, blockNumber: 0, events }),
              );
            } else if (
              result.isError ||
              result.status.isDropped ||
              result.status.isInvalid ||
              result.status.isUsurped
            ) {
              finish(new ChainTransactionError(`transaction ${result.status.type}`));
            }
          }).then(
            (u) => {
              unsub = u;
              if (settled) u();
            },
            (err: Error) => finish(new ChainTransactionError(err.message)),
          );
        }),
    );
  }

  private dispatchError(e: any): ChainDispatchError {
    if (e.isModule) {
      try {
        const meta = this.api.registry.findMetaError(e.asModule);
        return new ChainDispatchError(`${meta.section}.${meta.name}`);
      } catch {
        // fall through
      }
    }
    return new ChainDispatchError(e.type ?? String(e));
  }
}

export function bytesToString(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
