/** @xstorage/node: the chain node (`new Node(options).start()`); areas have their own entry points (`@xstorage/node/chain`, `/rpc`, `/devnet`, …). */
export * from './node.ts';
