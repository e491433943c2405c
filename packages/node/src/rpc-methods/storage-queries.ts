/**
 * Storage queries of the new JSON-RPC spec, shared by `chainHead_v1_storage` and `archive_v1_storage`: the `items`
 * parameter (`{ key, type[, paginationStartKey] }`), and their answers against one block's state, in pages so a
 * `descendantsValues` query over a large prefix never builds one huge message.
 */
import { blake2_256 } from '@xstorage/runtime/crypto';
import { MemoryStateView, type StateView } from '../chain/state-view.ts';
import { ParamDecodeError, type ParamDecoder } from '../rpc/index.ts';
import { closestDescendantMerkleValue } from './closest-merkle-value.ts';
import { hexOrEmpty } from './hex-param.ts';
import { type Hex, toHex } from './json.ts';

export const STORAGE_QUERY_TYPES = [
  'value',
  'hash',
  'closestDescendantMerkleValue',
  'descendantsValues',
  'descendantsHashes',
] as const;

export type StorageQueryType = (typeof STORAGE_QUERY_TYPES)[number];

export interface StorageQuery {
  key: Uint8Array;
  type: StorageQueryType;
  /** archive_v1_storage only: descendants strictly after this key. */
  paginationStartKey?: Uint8Array;
}

export interface StorageResultItem {
  key: Hex;
  value?: Hex;
  hash?: Hex;
  closestDescendantMerkleValue?: Hex;
}

/** Longest storage key accepted (as the legacy state RPC). */
export const MAX_STORAGE_KEY_BYTES = 4096;

/** The `items` parameter: an array of at most `maxItems` queries. */
export function storageQueries(opts: {
  maxItems: number;
  pagination: boolean;
}): ParamDecoder<StorageQuery[]> {
  const key = hexOrEmpty({ maxBytes: MAX_STORAGE_KEY_BYTES });
  const fields = opts.pagination ? ['key', 'type', 'paginationStartKey'] : ['key', 'type'];
  const expected = `an array (at most ${opts.maxItems}) of { ${fields.join(', ')} } with type one of ${STORAGE_QUERY_TYPES.join(', ')}`;
  return {
    expected,
    optional: false,
    decode(v: unknown): StorageQuery[] {
      if (!Array.isArray(v)) throw new ParamDecodeError(`expected ${expected}`);
      if (v.length > opts.maxItems)
        throw new ParamDecodeError(`at most ${opts.maxItems} items, got ${v.length}`);
      return v.map((item, i) => {
        const at = (msg: string) => new ParamDecodeError(`item ${i}: ${msg}`);
        if (item === null || typeof item !== 'object' || Array.isArray(item))
          throw at(`expected an object { ${fields.join(', ')} }`);
        const o = item as Record<string, unknown>;
        const unknown = Object.keys(o).filter((k) => !fields.includes(k));
        if (unknown.length > 0) throw at(`unknown field ${JSON.stringify(unknown[0].slice(0, 40))}`);
        if (!STORAGE_QUERY_TYPES.includes(o.type as StorageQueryType))
          throw at(`type must be one of ${STORAGE_QUERY_TYPES.join(', ')}`);
        const type = o.type as StorageQueryType;
        let k: Uint8Array;
        try {
          k = key.decode(o.key);
        } catch (err) {
          throw at(`key: ${(err as Error).message}`);
        }
        const q: StorageQuery = { key: k, type };
        if (o.paginationStartKey !== undefined && o.paginationStartKey !== null) {
          if (!type.startsWith('descendants'))
            throw at('paginationStartKey is only valid with descendantsValues / descendantsHashes');
          try {
            q.paginationStartKey = key.decode(o.paginationStartKey);
          } catch (err) {
            throw at(`paginationStartKey: ${(err as Error).message}`);
          }
        }
        return q;
      });
    },
  };
}

export interface StoragePage {
  items: StorageResultItem[];
  /** The page was cut at the page size inside a descendants query (more items may follow). */
  more: boolean;
}

/**
 * The answers to `queries` on `view`, in pages of at most `pageItems` items (plain queries fill a page too).
 * `childTrie`: our runtimes create no child tries, so a child trie query finds nothing.
 */
export async function* storagePages(
  view: StateView,
  queries: readonly StorageQuery[],
  pageItems: number,
  childTrie?: Uint8Array,
): AsyncGenerator<StoragePage> {
  if (childTrie !== undefined) return;
  let page: StorageResultItem[] = [];
  // `more` only inside a descendants query: the spec lets only those wait for `chainHead_v1_continue`.
  const push = function* (item: StorageResultItem, descendants = false): Generator<StoragePage> {
    page.push(item);
    if (page.length >= pageItems) {
      yield { items: page, more: descendants };
      page = [];
    }
  };
  for (const q of queries) {
    switch (q.type) {
      case 'value':
      case 'hash': {
        const v = await view.get(q.key);
        if (v !== undefined) yield* push(valueItem(q.key, v, q.type));
        break;
      }
      case 'closestDescendantMerkleValue': {
        const m = await closestDescendantMerkleValue(view, q.key);
        if (m !== undefined) yield* push({ key: toHex(q.key), closestDescendantMerkleValue: toHex(m) });
        break;
      }
      case 'descendantsValues':
      case 'descendantsHashes': {
        const kind = q.type === 'descendantsValues' ? 'value' : 'hash';
        let after = q.paginationStartKey;
        for (;;) {
          const batch = await descendants(view, q.key, after, pageItems);
          for (const [k, v] of batch) yield* push(valueItem(k, v, kind), true);
          if (batch.length < pageItems) break;
          after = batch[batch.length - 1][0];
        }
        break;
      }
    }
  }
  if (page.length > 0) yield { items: page, more: false };
}

function valueItem(key: Uint8Array, value: Uint8Array, kind: 'value' | 'hash'): StorageResultItem {
  return kind === 'value'
    ? { key: toHex(key), value: toHex(value) }
    : { key: toHex(key), hash: toHex(blake2_256(value)) };
}

/** Up to `limit` entries under `prefix`, in key order, strictly after `after` when given. */
async function descendants(
  view: StateView,
  prefix: Uint8Array,
  after: Uint8Array | undefined,
  limit: number,
): Promise<Array<[Uint8Array, Uint8Array]>> {
  // A start key below the prefix is no bound at all; the prefix itself excludes only the entry at the prefix.
  const start = after !== undefined && Buffer.compare(after, prefix) >= 0 ? after : undefined;
  const out: Array<[Uint8Array, Uint8Array]> = [];
  if (view instanceof MemoryStateView) {
    for (const e of view.memTrie.entries(prefix, start, start !== undefined)) {
      out.push(e);
      if (out.length >= limit) break;
    }
    return out;
  }
  const keys = await view.keys(prefix, limit + 1, start);
  for (const k of keys) {
    if (start !== undefined && Buffer.compare(k, start) <= 0) continue;
    if (out.length >= limit) break;
    const v = await view.get(k);
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}
