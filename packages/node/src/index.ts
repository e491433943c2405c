/**
 * @xstorage/node: the chain node (`new Node(options).start()`) and the roles it runs (`chooseRole`, `RoleRunner`);
 * areas have their own entry points (`@xstorage/node/chain`, `/rpc`, `/devnet`, …).
 */
export * from './network/node-roles.ts';
export * from './node.ts';
