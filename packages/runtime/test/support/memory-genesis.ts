/**
 * Genesis over an in-memory backend: the starting point of every test chain that executes blocks without a node
 * (executive and dev-runtime tests). The header follows sp-runtime's genesis: zero parent, number 0, no digest.
 */
import { extrinsicsRoot } from '../../src/block/block.ts';
import { type Header, headerHash } from '../../src/block/header.ts';
import { memoryStorageRoot } from '../../src/runtimes/state-root.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';

export interface MemoryGenesis {
  backend: MemoryBackend;
  genesis: Header;
  genesisHash: Uint8Array;
}

/** Moves `genesisState`'s changes into a fresh backend and builds the genesis header over it (state version 1). */
export function memoryGenesis(genesisState: Overlay): MemoryGenesis {
  const backend = new MemoryBackend();
  backend.apply(genesisState.drainChanges());
  const genesis: Header = {
    parentHash: new Uint8Array(32),
    number: 0,
    stateRoot: memoryStorageRoot(new Overlay(backend), 1),
    extrinsicsRoot: extrinsicsRoot([], 1),
    digest: { logs: [] },
  };
  return { backend, genesis, genesisHash: headerHash(genesis) };
}
