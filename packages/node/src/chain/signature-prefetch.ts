/**
 * sr25519 verification on a helper thread, ahead of pool validation.
 *
 * Why: Substrate validates pool transactions on a pool of verifier threads, so a node's signature checks use more
 * than one core while block production goes on. Our runtime runs on the event loop, so the node asks the runtime
 * which signature check a transaction's validation will make (`Executive.signatureCheckFor`), has that check done
 * here on a worker thread, and records a TRUE answer in the signature cache; validation then runs as always on the
 * main thread, in the runtime, and finds the answer in the cache. A FALSE answer is not recorded: validation
 * verifies again in full and refuses the transaction (BadProof), exactly as without the worker. Nothing is trusted
 * that the main thread would not have computed itself: the worker runs the same wasm verifier with the same
 * marker-bit rule as `sr25519Verify` (runtime/src/crypto/signatures.ts).
 *
 * The worker is optional: until `start()` has been called and it is ready (loading wasm-crypto takes a few hundred
 * ms of CPU, so the node starts it a moment after it is up, not on its cold-start path), if it cannot start, or
 * after it fails, every request is declined (`verify` returns undefined) and validation verifies on the main
 * thread.
 */
import { Worker } from 'node:worker_threads';

export interface Sr25519Check {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * The worker, as source text (the CLI is one bundle; a separate worker file would need its own entry point). It
 * loads @polkadot/wasm-crypto from the path the main thread resolved and answers batches: u32 count, then per item
 * u32 message length ‖ 64-byte signature ‖ 32-byte public key ‖ message; the answer is one byte (1 = valid) per
 * item.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  let wc;
  try {
    wc = await import(workerData.wasmCrypto);
    if (!(await wc.waitReady())) throw new Error('wasm-crypto did not initialise');
  } catch (err) {
    parentPort.postMessage({ ready: false, error: String(err && err.message || err) });
    return;
  }
  parentPort.postMessage({ ready: true });
  parentPort.on('message', ({ id, buf }) => {
    const bytes = new Uint8Array(buf);
    const view = new DataView(buf);
    const n = view.getUint32(0, true);
    const out = new Uint8Array(n);
    let o = 4;
    for (let i = 0; i < n; i++) {
      const len = view.getUint32(o, true);
      o += 4;
      const sig = bytes.subarray(o, o + 64);
      const pub = bytes.subarray(o + 64, o + 96);
      const msg = bytes.subarray(o + 96, o + 96 + len);
      o += 96 + len;
      let ok = false;
      if ((sig[63] & 0x80) !== 0) {
        try {
          ok = wc.sr25519Verify(sig, msg, pub);
        } catch {
          ok = false;
        }
      }
      out[i] = ok ? 1 : 0;
    }
    parentPort.postMessage({ id, out }, [out.buffer]);
  });
})();
`;

/** Checks per message to the thread (about 10 ms of work). */
const MAX_BATCH = 16;

interface Waiting {
  check: Sr25519Check;
  resolve: (valid: boolean) => void;
}

export class SignaturePrefetcher {
  #worker: Worker | undefined;
  #state: 'idle' | 'starting' | 'ready' | 'off' = 'idle';
  #batch: Waiting[] = [];
  #flushScheduled = false;
  readonly #inFlight = new Map<number, Waiting[]>();
  #nextId = 1;

  get state(): 'idle' | 'starting' | 'ready' | 'off' {
    return this.#state;
  }

  /** Checks waiting for the thread's answer. */
  get backlog(): number {
    let n = this.#batch.length;
    for (const items of this.#inFlight.values()) n += items.length;
    return n;
  }

  /** Starts the worker (in the background; requests are declined until it is ready). */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'starting';
    let wasmCrypto: string;
    try {
      wasmCrypto = import.meta.resolve('@polkadot/wasm-crypto');
    } catch {
      this.#state = 'off';
      return;
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { wasmCrypto } });
    this.#worker = worker;
    worker.unref();
    worker.on('message', (m: { ready?: boolean; id?: number; out?: Uint8Array }) => {
      if (m.ready !== undefined) {
        if (this.#state === 'starting') this.#state = m.ready ? 'ready' : 'off';
        if (!m.ready) void this.stop();
        return;
      }
      const items = this.#inFlight.get(m.id!);
      if (!items) return;
      this.#inFlight.delete(m.id!);
      for (let i = 0; i < items.length; i++) items[i].resolve(m.out![i] === 1);
    });
    const fail = () => {
      this.#state = 'off';
      this.#worker = undefined;
      this.#declineAll();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  /**
   * Verifies `check` on the worker: resolves to its answer, or returns undefined when the worker cannot take it
   * now (not started, starting, stopped or failed). Malformed checks resolve to false.
   */
  verify(check: Sr25519Check): Promise<boolean> | undefined {
    if (this.#state !== 'ready') return undefined;
    if (check.signature.length !== 64 || check.publicKey.length !== 32) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.#batch.push({ check, resolve });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // Everything submitted in this event-loop turn goes in one message.
        setImmediate(this.#flush);
      }
    });
  }

  async stop(): Promise<void> {
    const w = this.#worker;
    this.#worker = undefined;
    this.#state = 'off';
    this.#declineAll();
    if (w) await w.terminate().catch(() => {});
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const all = this.#batch;
    this.#batch = [];
    // Messages of at most MAX_BATCH checks, so answers stream back while the thread works through a burst (a
    // single message for a whole window of submissions would leave the event loop idle until all were verified).
    for (let i = 0; i < all.length; i += MAX_BATCH) this.#send(all.slice(i, i + MAX_BATCH));
  };

  #send(items: Waiting[]): void {
    const worker = this.#worker;
    if (!worker || this.#state !== 'ready') {
      for (const w of items) w.resolve(false);
      return;
    }
    let size = 4;
    for (const { check } of items) size += 4 + 96 + check.message.length;
    const buf = new ArrayBuffer(size);
    const bytes = new Uint8Array(buf);
    const view = new DataView(buf);
    view.setUint32(0, items.length, true);
    let o = 4;
    for (const { check } of items) {
      view.setUint32(o, check.message.length, true);
      bytes.set(check.signature, o + 4);
      bytes.set(check.publicKey, o + 68);
      bytes.set(check.message, o + 100);
      o += 100 + check.message.length;
    }
    const id = this.#nextId++;
    this.#inFlight.set(id, items);
    worker.postMessage({ id, buf }, [buf]);
  }

  /** Answers every waiting request with false (not verified here; the main thread will verify). */
  #declineAll(): void {
    const waiting = [...this.#batch, ...[...this.#inFlight.values()].flat()];
    this.#batch = [];
    this.#inFlight.clear();
    for (const w of waiting) w.resolve(false);
  }
}
