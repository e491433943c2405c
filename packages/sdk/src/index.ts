/**
 * `@xstorage/sdk`: store files on Crust from any parachain, over `@polkadot/api`.
 *
 * @example
 * import { createClient, formatAmount } from '@xstorage/sdk';
 * const client = await createClient({ endpoints: '/tmp/devnet/endpoints.json' });
 * const signer = await client.signer('//Alice', 'acala');
 * const { cid, events } = await client.store('./photo.jpg', { from: 'acala', pay: 'cru', signer });
 * for await (const e of events) console.log(e.kind);
 */

export {
  type CreateClientOptions,
  createClient,
  type OrderSummary,
  type StoreOptions,
  type StoreResult,
  XstorageClient,
} from './client.ts';
export { ChainConnections } from './connections.ts';
export {
  DEFAULT_RPC_PORT,
  defaultDevnetEndpoints,
  type Endpoints,
  parseEndpoints,
  readEndpointsFile,
} from './endpoints.ts';
export * from './errors.ts';
export { eventsAt, followBlocks } from './follow.ts';
export { GatewayClient, type UploadEntry, type UploadProgress, type UploadResult } from './gateway.ts';
export * from './networks.ts';
export {
  checkCid,
  type FeeQuote,
  hasXstoragePallet,
  marketOrderFee,
  type OrderReceipt,
  type OrderRoute,
  type PayWith,
  type PlaceOrderOptions,
} from './orders.ts';
export {
  hasAutomationPallet,
  type RenewalEvent,
  RenewalsUnsupportedError,
  type ScheduleAt,
  type ScheduledRenewal,
  type SchedulePrepaidOptions,
  watchRenewal,
} from './renewals.ts';
export { extensionSigner, keyringSigner, signerFromSecret, type XstorageSigner } from './signers.ts';
export { formatAmount, parseAmount } from './units.ts';
export { w3AuthHeader } from './w3auth.ts';
export {
  type FileStatus,
  fileStatus,
  type OrderEvent,
  type ReplicaInfo,
  throwIfFailed,
  type WatchOptions,
} from './watch.ts';
export { siblingLocation, siblingUserAccount, transactMessage } from './xcm.ts';
