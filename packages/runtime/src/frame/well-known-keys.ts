/** sp_core::storage::well_known_keys: raw (unhashed) keys the host and runtime agree on. */
const enc = (s: string) => new TextEncoder().encode(s);

/** The runtime code (wasm in Substrate; our nodes store the runtime's identity here). */
export const CODE_KEY = enc(':code');
export const HEAP_PAGES_KEY = enc(':heappages');
/** Index of the extrinsic being applied (u32), set by System while applying it. */
export const EXTRINSIC_INDEX_KEY = enc(':extrinsic_index');
export const INTRABLOCK_ENTROPY_KEY = enc(':intrablock_entropy');
/** Prefix of every child trie root key. */
export const CHILD_STORAGE_KEY_PREFIX = enc(':child_storage:');
export const DEFAULT_CHILD_STORAGE_KEY_PREFIX = enc(':child_storage:default:');
