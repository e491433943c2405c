/**
 * Key layout: one LevelDB, every key starts with a one-byte column id. Numbers in keys are big-endian so that
 * LevelDB's byte order is numeric order.
 */
export const Column = {
  /** block hash → header bytes (opaque SCALE). */
  Header: 0x01,
  /** block hash → body (list of extrinsic bytes). */
  Body: 0x02,
  /** block hash → justification bytes. */
  Justification: 0x03,
  /** u32 BE number → hash of the best chain's block at that height. */
  Canonical: 0x04,
  /** utf8 name → value (pointers, genesis, chain spec id, schema). */
  Meta: 0x05,
  /** block hash → number, parent hash, state root. */
  BlockMeta: 0x06,
  /** trie node hash → encoded node. */
  TrieNode: 0x07,
  /** trie node hash → u32 LE reference count. */
  TrieRefCount: 0x08,
  /** storage key → value: the state of the best block. */
  FlatState: 0x09,
  /** block hash → trie nodes the block inserted and removed (for pruning and fork discard). */
  StateJournal: 0x0a,
  /** block hash → the block's storage changes (to re-apply on a reorg). */
  StateChanges: 0x0b,
  /** block hash → the flat-state values its changes overwrote (to undo on a reorg). */
  StateUndo: 0x0c,
  /** u32 BE number ++ block hash → empty: blocks above the finalized one. */
  Unfinalized: 0x0d,
} as const;

export const MetaKey = {
  Best: 'best',
  Finalized: 'finalized',
  Genesis: 'genesis',
  ChainSpecId: 'chainSpecId',
  Schema: 'schema',
  /** Block whose state the flat copy holds (always the best block after a commit). */
  FlatStateAt: 'flatStateAt',
  /** Highest block number whose journal's removed nodes were released. */
  PrunedUpTo: 'prunedUpTo',
} as const;

export const SCHEMA_VERSION = 1;

export function key(col: number, ...parts: Uint8Array[]): Buffer {
  let len = 1;
  for (const p of parts) len += p.length;
  const out = Buffer.allocUnsafe(len);
  out[0] = col;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u32be(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}

export function metaKey(name: string): Buffer {
  return key(Column.Meta, Buffer.from(name, 'utf8'));
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
