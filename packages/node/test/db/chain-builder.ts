/** Builds test blocks on top of a ToyTrie: header = opaque bytes, hash = blake2 of them. */
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { BlockToImport } from '../../src/db/index.ts';
import { ToyTrie } from './toy-trie.ts';

export interface BuiltBlock extends BlockToImport {
  trie: ToyTrie;
}

export function header(number: number, parentHash: Uint8Array, stateRoot: Uint8Array, salt = ''): Uint8Array {
  return new Uint8Array(
    Buffer.concat([Buffer.from(parentHash), Buffer.from(stateRoot), Buffer.from(`#${number}${salt}`)]),
  );
}

export function genesisBlock(
  entries: Record<string, string> = { ':code': 'wasm', a: '1' },
): BuiltBlock & { chainSpecId: string } {
  const trie = new ToyTrie();
  const changes = Object.entries(entries).map(([k, v]) => trie.set(k, v));
  const trieCommit = trie.commit();
  const h = header(0, new Uint8Array(32), trieCommit.root);
  return {
    hash: blake2AsU8a(h),
    number: 0,
    parentHash: new Uint8Array(32),
    stateRoot: trieCommit.root,
    header: h,
    body: [],
    changes,
    trieCommit,
    trie,
    chainSpecId: 'test-chain',
  };
}

/** A child of `parent` applying `sets` (null deletes); `salt` makes siblings differ. */
export function childBlock(parent: BuiltBlock, sets: Record<string, string | null>, salt = ''): BuiltBlock {
  const trie = parent.trie.clone();
  const changes = Object.entries(sets).map(([k, v]) => trie.set(k, v));
  const trieCommit = trie.commit();
  const number = parent.number + 1;
  const h = header(number, parent.hash, trieCommit.root, salt);
  return {
    hash: blake2AsU8a(h),
    number,
    parentHash: parent.hash,
    stateRoot: trieCommit.root,
    header: h,
    body: [new TextEncoder().encode(`xt-${number}${salt}`), new Uint8Array(0)],
    changes,
    trieCommit,
    trie,
  };
}

export function stateOf(b: BuiltBlock): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of b.trie.state.values()) m.set(Buffer.from(k).toString(), Buffer.from(v).toString());
  return m;
}
