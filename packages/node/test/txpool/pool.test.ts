/**
 * Transaction pool semantics after Substrate's graph pool; error codes/messages from polkadot-sdk
 * `client/rpc-api/src/author/error.rs` and sp-runtime `transaction_validity.rs`; status JSON checked by
 * decoding it with @polkadot/types' `ExtrinsicStatus`.
 */
import { TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { AuthorErrorCode, type TransactionStatus, TxPool, type TxPoolError } from '../../src/txpool/index.ts';
import { encodeTx, MockRuntime, type MockTx } from './mock-runtime.ts';

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const block = (n: number) => new Uint8Array(32).fill(n);

function setup(opts: Partial<ConstructorParameters<typeof TxPool>[0]> = {}) {
  const rt = new MockRuntime();
  const pool = new TxPool({ validate: rt.validate, best: { hash: block(0), number: 0 }, ...opts });
  return { rt, pool };
}

async function poolError(p: Promise<unknown>): Promise<TxPoolError> {
  try {
    await p;
  } catch (err) {
    return err as TxPoolError;
  }
  throw new Error('expected a pool error');
}

function order(pool: TxPool): string[] {
  return [...pool.ready()].map((t) => {
    const tx = JSON.parse(new TextDecoder().decode(t.data)) as MockTx;
    return `${tx.who}${tx.nonce}${tx.salt ?? ''}`;
  });
}

describe('TxPool: ordering and dependencies', () => {
  it('orders ready transactions by priority, then arrival', async () => {
    const { pool } = setup();
    await pool.submit(encodeTx({ who: 'a', nonce: 0, priority: 5 }));
    await pool.submit(encodeTx({ who: 'b', nonce: 0, priority: 10 }));
    await pool.submit(encodeTx({ who: 'c', nonce: 0, priority: 5 }));
    expect(order(pool)).toEqual(['b0', 'a0', 'c0']);
  });

  it('nonce chains: gaps wait in future, fill-in promotes, dependencies come first', async () => {
    const { pool } = setup();
    const w2 = await pool.submitAndWatch(encodeTx({ who: 'alice', nonce: 2, priority: 90 }));
    await pool.submit(encodeTx({ who: 'alice', nonce: 1, priority: 50 }));
    expect(pool.status()).toMatchObject({ ready: 0, future: 2 });
    await pool.submit(encodeTx({ who: 'alice', nonce: 0, priority: 1 }));
    await pool.submit(encodeTx({ who: 'bob', nonce: 0, priority: 70 }));
    expect(pool.status()).toMatchObject({ ready: 4, future: 0 });
    expect(w2.watcher.history).toEqual(['future', 'ready']);
    // alice1 (50) cannot go before alice0 (1); once alice0 is out, alice2 (90) beats nothing else left.
    expect(order(pool)).toEqual(['bob0', 'alice0', 'alice1', 'alice2']);
  });

  it('reportInvalid keeps dependents of a failed transaction out of the block', async () => {
    const { pool } = setup();
    for (let n = 0; n < 3; n++) await pool.submit(encodeTx({ who: 'a', nonce: n }));
    await pool.submit(encodeTx({ who: 'b', nonce: 0 }));
    const it = pool.ready();
    const got: string[] = [];
    for (const tx of it) {
      const t = JSON.parse(new TextDecoder().decode(tx.data)) as MockTx;
      got.push(`${t.who}${t.nonce}`);
      if (t.who === 'a' && t.nonce === 0) it.reportInvalid(tx);
    }
    expect(got).toEqual(['a0', 'b0']);
  });
});

describe('TxPool: replacement, dedup, invalid', () => {
  it('a strictly higher priority transaction with the same tag replaces the old one (usurped)', async () => {
    const { pool } = setup();
    const old = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0, priority: 5 }));
    const dep = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 1, priority: 5 }));
    const same = await poolError(pool.submit(encodeTx({ who: 'a', nonce: 0, priority: 5, salt: 'x' })));
    expect(same.kind).toBe('TooLowPriority');
    expect(same.toRpcError().toJSON()).toEqual({
      code: 1014,
      message: 'Priority is too low: (5 vs 5)',
      data: 'The transaction has too low priority to replace another transaction already in the pool.',
    });
    const better = await pool.submit(encodeTx({ who: 'a', nonce: 0, priority: 6, salt: 'y' }));
    expect(old.watcher.history).toEqual(['ready', { usurped: hex(better) }]);
    expect(old.watcher.done).toBe(true);
    expect(pool.has(old.hash)).toBe(false);
    // The dependent still has its tag (the replacement provides it) and stays ready.
    expect(dep.watcher.history).toEqual(['ready']);
    expect(order(pool)).toEqual(['a0y', 'a1']);
  });

  it('refuses a replacement its own dependency chain would need (1015)', async () => {
    const { pool } = setup();
    await pool.submit(encodeTx({ who: 'r', nonce: 0, provides: ['A'], requires: [] }));
    await pool.submit(encodeTx({ who: 's', nonce: 0, provides: ['B'], requires: ['A'] }));
    const e = await poolError(
      pool.submit(encodeTx({ who: 't', nonce: 0, priority: 100, provides: ['A'], requires: ['B'] })),
    );
    expect(e.toRpcError().toJSON()).toEqual({ code: 1015, message: 'Cycle Detected' });
    expect(pool.status().ready).toBe(2);
  });

  it('dedups by blake2_256 hash (1013), also for concurrent submissions', async () => {
    const { pool } = setup();
    const data = encodeTx({ who: 'a', nonce: 0 });
    const [r1, r2] = await Promise.allSettled([pool.submit(data), pool.submit(data)]);
    expect(r1.status).toBe('fulfilled');
    expect(r2.status).toBe('rejected');
    const e = await poolError(pool.submit(data));
    expect(e.toRpcError().toJSON()).toEqual({
      code: 1013,
      message: 'Transaction Already Imported',
      data: hex((r1 as PromiseFulfilledResult<Uint8Array>).value),
    });
    // blake2b-256("") = 0e5751c0…, the RFC 7693 / Substrate empty-input vector.
    expect(hex(pool.hashOf(new Uint8Array(0)))).toBe(
      '0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
    );
  });

  it('invalid → 1010 with the sp-runtime reason, then temporarily banned (1012) until the ban ends', async () => {
    let now = 1_000;
    const { pool } = setup({ now: () => now, banTimeMs: 60_000 });
    const bad = encodeTx({ who: 'a', nonce: 0, error: { Invalid: 'Payment' } });
    const e = await poolError(pool.submit(bad));
    expect(e.toRpcError().toJSON()).toEqual({
      code: 1010,
      message: 'Invalid Transaction',
      data: 'Inability to pay some fees (e.g. account balance too low)',
    });
    expect((await poolError(pool.submit(bad))).toRpcError().toJSON()).toEqual({
      code: 1012,
      message: 'Transaction is temporarily banned',
    });
    now += 60_001;
    expect((await poolError(pool.submit(bad))).kind).toBe('InvalidTransaction');
    const custom = await poolError(
      pool.submit(encodeTx({ who: 'c', nonce: 0, error: { Invalid: { Custom: 3 } } })),
    );
    expect(custom.toRpcError().data).toBe('Custom error: 3');
    const unknown = await poolError(
      pool.submit(encodeTx({ who: 'u', nonce: 0, error: { Unknown: 'CannotLookup' } })),
    );
    expect(unknown.toRpcError().toJSON()).toEqual({
      code: 1011,
      message: 'Unknown Transaction Validity',
      data: 'CannotLookup',
    });
    const noTags = await poolError(pool.submit(encodeTx({ who: 'n', nonce: 0, noTags: true })));
    expect(noTags.toRpcError().code).toBe(AuthorErrorCode.NoTagsProvided);
    expect(pool.status()).toMatchObject({ ready: 0, future: 0 });
  });
});

describe('TxPool: limits', () => {
  it('ready count limit drops the worst; a newcomer that is the worst is refused (1016)', async () => {
    const { pool } = setup({ readyLimit: { count: 3, bytes: 1 << 20 } });
    const w1 = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0, priority: 1 }));
    await pool.submit(encodeTx({ who: 'b', nonce: 0, priority: 2 }));
    await pool.submit(encodeTx({ who: 'c', nonce: 0, priority: 3 }));
    await pool.submit(encodeTx({ who: 'd', nonce: 0, priority: 4 }));
    expect(w1.watcher.history).toEqual(['ready', 'dropped']);
    expect(order(pool)).toEqual(['d0', 'c0', 'b0']);
    const e = await poolError(pool.submit(encodeTx({ who: 'e', nonce: 0, priority: 1 })));
    expect(e.toRpcError().toJSON()).toEqual({
      code: 1016,
      message: 'Immediately Dropped',
      data: "The transaction couldn't enter the pool because of the limit",
    });
    expect(pool.status().ready).toBe(3);
  });

  it('dropping a ready transaction drops its dependents; byte and future limits hold', async () => {
    const { pool } = setup({
      readyLimit: { count: 100, bytes: 600 },
      futureLimit: { count: 2, bytes: 1 << 20 },
    });
    await pool.submit(encodeTx({ who: 'a', nonce: 0, priority: 1, pad: 100 }));
    await pool.submit(encodeTx({ who: 'a', nonce: 1, priority: 9, pad: 100 }));
    await pool.submit(encodeTx({ who: 'b', nonce: 0, priority: 5, pad: 300 }));
    // 3 txs > 600 bytes: a0 is the worst and a1 depends on it.
    expect(order(pool)).toEqual(['b0']);
    expect(pool.status().readyBytes).toBeLessThanOrEqual(600);
    await pool.submit(encodeTx({ who: 'f', nonce: 5, priority: 3 }));
    await pool.submit(encodeTx({ who: 'g', nonce: 5, priority: 2 }));
    await pool.submit(encodeTx({ who: 'h', nonce: 5, priority: 4 }));
    expect(pool.status().future).toBe(2);
    expect(pool.pending().map((t) => JSON.parse(new TextDecoder().decode(t.data)).who)).toEqual([
      'b',
      'f',
      'h',
    ]);
  });

  // polkadot-sdk substrate/client/transaction-pool/src/graph/validated_pool.rs `enforce_limits`: "ban all
  // removed transactions" — a transaction a limit dropped (with its dropped dependents, and a newcomer refused
  // with 1016) is refused with 1012 until the ban ends, then accepted with a fresh status stream.
  it('what a limit drops is temporarily banned (1012), dependents included, until the ban ends', async () => {
    let now = 1_000;
    const { pool } = setup({
      now: () => now,
      banTimeMs: 60_000,
      readyLimit: { count: 2, bytes: 1 << 20 },
      futureLimit: { count: 1, bytes: 1 << 20 },
    });
    const a0 = encodeTx({ who: 'a', nonce: 0, priority: 1 });
    const a1 = encodeTx({ who: 'a', nonce: 1, priority: 9 });
    const f = encodeTx({ who: 'f', nonce: 5, priority: 1 });
    const w0 = await pool.submitAndWatch(a0);
    const w1 = await pool.submitAndWatch(a1);
    const wf = await pool.submitAndWatch(f);
    // Ready limit: b0 outranks a0, which goes with its dependent a1.
    await pool.submit(encodeTx({ who: 'b', nonce: 0, priority: 5 }));
    expect(w0.watcher.history).toEqual(['ready', 'dropped']);
    expect(w1.watcher.history).toEqual(['ready', 'dropped']);
    // Future limit: g5 arrives later with the same priority, so f5 stays and g5 is refused (1016).
    const g = encodeTx({ who: 'g', nonce: 5, priority: 1 });
    expect((await poolError(pool.submit(g))).toRpcError().code).toBe(1016);
    await pool.submit(encodeTx({ who: 'h', nonce: 5, priority: 2 }));
    expect(wf.watcher.history).toEqual(['future', 'dropped']);
    for (const tx of [a0, a1, f, g]) {
      const e = await poolError(pool.submitAndWatch(tx));
      expect(e.toRpcError().toJSON()).toEqual({ code: 1012, message: 'Transaction is temporarily banned' });
      expect(pool.has(pool.hashOf(tx))).toBe(false);
    }
    now += 60_000;
    const again = await pool.submitAndWatch(a0);
    expect(again.watcher).not.toBe(w0.watcher);
    expect(again.watcher.done).toBe(false);
    expect(pool.has(again.hash)).toBe(true);
  });

  it('can refuse future transactions (1021)', async () => {
    const { pool } = setup({ rejectFutureTransactions: true });
    const e = await poolError(pool.submit(encodeTx({ who: 'a', nonce: 1 })));
    expect(e.toRpcError().code).toBe(1021);
  });
});

describe('TxPool: blocks, revalidation, statuses', () => {
  it('future → ready → inBlock → finalized, and the watcher ends', async () => {
    const { pool, rt } = setup();
    const w1 = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 1 }));
    const w0 = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0 }));
    rt.nonces.set('a', 1);
    await pool.onBlockImported(block(1), [w0.hash], { number: 1 });
    expect(pool.has(w0.hash)).toBe(false);
    expect(pool.isReady(w1.hash)).toBe(true); // its tag was pruned by the block
    rt.nonces.set('a', 2);
    await pool.onBlockImported(block(2), [w1.hash], { number: 2 });
    pool.onBlocksFinalized([block(1), block(2)]);
    expect(w0.watcher.history).toEqual(['ready', { inBlock: hex(block(1)) }, { finalized: hex(block(1)) }]);
    expect(w1.watcher.history).toEqual([
      'future',
      'ready',
      { inBlock: hex(block(2)) },
      { finalized: hex(block(2)) },
    ]);
    expect(w1.watcher.done).toBe(true);
    const seen: TransactionStatus[] = [];
    for await (const s of w1.watcher) seen.push(s);
    expect(seen).toHaveLength(4);
    expect(pool.status()).toMatchObject({ ready: 0, future: 0 });
  });

  it('retracted blocks give their transactions back to the pool', async () => {
    const { pool, rt } = setup();
    const data = encodeTx({ who: 'a', nonce: 0 });
    const w = await pool.submitAndWatch(data);
    rt.nonces.set('a', 1);
    await pool.onBlockImported(block(1), [w.hash], { number: 1 });
    rt.nonces.set('a', 0); // reorg: the fork without block 1 wins
    await pool.onBlockRetracted(block(1), [data]);
    expect(pool.isReady(w.hash)).toBe(true);
    await pool.onBlockImported(block(9), [w.hash], { number: 1 });
    pool.onBlocksFinalized([block(9)]);
    expect(w.watcher.history).toEqual([
      'ready',
      { inBlock: hex(block(1)) },
      { retracted: hex(block(1)) },
      'ready',
      { inBlock: hex(block(9)) },
      { finalized: hex(block(9)) },
    ]);
  });

  it('transactions past their longevity are removed as invalid', async () => {
    const { pool } = setup();
    const w = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0, longevity: 2 }));
    const forever = await pool.submit(encodeTx({ who: 'b', nonce: 0, longevity: 1e15 }));
    await pool.onBlockImported(block(1), [], { number: 1 });
    await pool.onBlockImported(block(2), [], { number: 2 });
    expect(pool.has(w.hash)).toBe(true);
    await pool.onBlockImported(block(3), [], { number: 3 });
    expect(pool.has(w.hash)).toBe(false);
    expect(w.watcher.history).toEqual(['ready', 'invalid']);
    expect(pool.has(forever)).toBe(true);
  });

  it('revalidate() removes what became invalid and re-queues the rest', async () => {
    const { pool, rt } = setup();
    const a0 = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0 }));
    const a1 = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 1 }));
    const b0 = await pool.submitAndWatch(encodeTx({ who: 'b', nonce: 0 }));
    // a0 got into a block this pool did not hear about.
    rt.nonces.set('a', 1);
    const r = await pool.revalidate();
    expect(r).toEqual({ removed: 1, revalidated: 2 });
    expect(a0.watcher.history).toEqual(['ready', 'invalid']);
    expect(a1.watcher.history).toEqual(['ready']);
    expect(b0.watcher.history).toEqual(['ready']);
    expect(order(pool)).toEqual(['a1', 'b0']);
    // Banned now, as Substrate does with invalid transactions.
    expect((await poolError(pool.submit(encodeTx({ who: 'a', nonce: 0 })))).kind).toBe('TemporarilyBanned');
  });

  it('revalidate({ minAgeBlocks }) only re-checks transactions validated long enough ago', async () => {
    const { pool, rt } = setup();
    await pool.submit(encodeTx({ who: 'old', nonce: 0 }));
    await pool.onBlockImported(block(1), [], { number: 1 });
    await pool.submit(encodeTx({ who: 'new', nonce: 0 }));
    await pool.onBlockImported(block(2), [], { number: 2 });
    const calls = rt.calls;
    expect(await pool.revalidate({ minAgeBlocks: 2 })).toEqual({ removed: 0, revalidated: 1 });
    expect(rt.calls - calls).toBe(1);
    // Revalidated now: not old enough any more.
    expect(await pool.revalidate({ minAgeBlocks: 2 })).toEqual({ removed: 0, revalidated: 0 });
  });

  it('markBroadcast reports the peers', async () => {
    const { pool } = setup();
    const w = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0 }));
    pool.markBroadcast(w.hash, ['12D3KooWpeer']);
    expect(w.watcher.history).toEqual(['ready', { broadcast: ['12D3KooWpeer'] }]);
  });

  it('a block providing a tag (another tx with the same nonce) makes the pool revalidate the rival', async () => {
    const { pool, rt } = setup();
    const mine = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: 0, salt: 'mine' }));
    rt.nonces.set('a', 1);
    await pool.onBlockImported(block(1), [new Uint8Array(32).fill(7)], {
      number: 1,
      prunedTags: [new TextEncoder().encode('a:0')],
    });
    expect(mine.watcher.history).toEqual(['ready', 'invalid']);
  });

  it('finality timeout after too many unfinalized blocks', async () => {
    const { pool, rt } = setup({ maxFinalityWatchedBlocks: 2 });
    const ws = [];
    for (let n = 0; n < 3; n++) {
      const w = await pool.submitAndWatch(encodeTx({ who: 'a', nonce: n }));
      ws.push(w);
      rt.nonces.set('a', n + 1);
      await pool.onBlockImported(block(n + 1), [w.hash], { number: n + 1 });
    }
    expect(ws[0].watcher.history.at(-1)).toEqual({ finalityTimeout: hex(block(1)) });
    expect(ws[2].watcher.done).toBe(false);
  });

  it('status JSON decodes as polkadot-js ExtrinsicStatus', () => {
    const registry = new TypeRegistry();
    const h = hex(block(5));
    const cases: Array<[TransactionStatus, string, string | undefined]> = [
      ['future', 'isFuture', undefined],
      ['ready', 'isReady', undefined],
      [{ broadcast: ['12D3KooW'] }, 'isBroadcast', undefined],
      [{ inBlock: h as `0x${string}` }, 'isInBlock', 'asInBlock'],
      [{ retracted: h as `0x${string}` }, 'isRetracted', 'asRetracted'],
      [{ finalityTimeout: h as `0x${string}` }, 'isFinalityTimeout', 'asFinalityTimeout'],
      [{ finalized: h as `0x${string}` }, 'isFinalized', 'asFinalized'],
      [{ usurped: h as `0x${string}` }, 'isUsurped', 'asUsurped'],
      ['dropped', 'isDropped', undefined],
      ['invalid', 'isInvalid', undefined],
    ];
    for (const [status, is, as] of cases) {
      const decoded = registry.createType('ExtrinsicStatus', JSON.parse(JSON.stringify(status))) as any;
      expect(decoded[is], JSON.stringify(status)).toBe(true);
      if (as) expect(decoded[as].toHex()).toBe(h);
    }
  });
});
