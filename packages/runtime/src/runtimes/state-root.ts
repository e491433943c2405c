/** `sp_io::storage::root` over an in-memory backend plus an overlay's pending changes (tests and benches). */
import type { MemoryBackend } from '../state/memory-backend.ts';
import type { Overlay } from '../state/overlay.ts';
import { trieRoot } from '../trie/root.ts';
import type { StateVersion } from '../trie/trie.ts';

export function memoryStorageRoot(overlay: Overlay, version: StateVersion): Uint8Array {
  const merged = new Map<string, [Uint8Array, Uint8Array]>();
  for (const [k, v] of (overlay.backend as MemoryBackend).entries())
    merged.set(Buffer.from(k).toString('latin1'), [k, v]);
  for (const [k, v] of overlay.changes()) {
    const id = Buffer.from(k).toString('latin1');
    if (v === null) merged.delete(id);
    else merged.set(id, [k, v]);
  }
  return trieRoot(merged.values(), version);
}
