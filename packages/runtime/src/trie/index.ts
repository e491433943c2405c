export * from './nibbles.ts';
export * from './node-codec.ts';
export * from './node-reader.ts';
export * from './proof-recording.ts';
export * from './proof-source.ts';
export * from './proof-trie.ts';
export * from './root.ts';
export * from './trie.ts';
