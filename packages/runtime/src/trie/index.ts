export * from './nibbles.ts';
export * from './node-codec.ts';
export * from './node-reader.ts';
export * from './root.ts';
export * from './trie.ts';
