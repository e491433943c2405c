/**
 * Follows an order and prints each hop (text or `--json` lines): what `xstorage store` and `xstorage demo` show.
 */
import {
  formatAmount,
  type OrderEvent,
  type OrderReceipt,
  type WatchOptions,
  type XstorageClient,
} from '@xstorage/sdk';
import type { Out } from './output.ts';

export interface FollowResult {
  failed?: Extract<OrderEvent, { kind: 'failed' }>;
  executed?: Extract<OrderEvent, { kind: 'executed' }>;
  replicaCount: number;
}

export async function followOrder(
  client: XstorageClient,
  receipt: OrderReceipt,
  out: Out,
  options: WatchOptions,
): Promise<FollowResult> {
  const f = receipt.fee;
  let failed: Extract<OrderEvent, { kind: 'failed' }> | undefined;
  let executed: Extract<OrderEvent, { kind: 'executed' }> | undefined;
  let replicaCount = 0;
  for await (const e of client.watchOrder(receipt, options)) {
    switch (e.kind) {
      case 'sent':
        out.emit(
          'sent',
          {
            chain: e.chain,
            block: e.blockNumber,
            blockHash: e.blockHash,
            messageId: e.messageId,
            route: receipt.route,
          },
          `  ✓ order sent        ${receipt.from} block #${e.blockNumber} (${receipt.route === 'polkadotXcm' ? 'polkadotXcm.send' : receipt.route === 'pallet' ? 'xstorage pallet' : 'market'}, fee ${formatAmount(f.total, f.decimals, f.token)})`,
        );
        break;
      case 'relayed':
        out.emit(
          'relayed',
          { relayBlock: e.relayBlock, paraBlock: e.paraBlock },
          `  ✓ on the relay      relay block #${e.relayBlock}`,
        );
        break;
      case 'executed':
        executed = e;
        out.emit(
          'executed',
          { crustBlock: e.crustBlock, account: e.account, fee: e.fee },
          `  ✓ executed on Crust Crust block #${e.crustBlock}, ${formatAmount(e.fee, client.network.crust.decimals, client.network.crust.token)} charged to ${e.account}`,
        );
        if (receipt.route === 'polkadotXcm')
          out.say(
            '  - confirmed home    (sent with polkadotXcm.send: Crust reports to no pallet; its events are the confirmation)',
          );
        break;
      case 'confirmed':
        out.emit(
          'confirmed',
          { chain: e.chain, block: e.blockNumber },
          `  ✓ confirmed home    ${e.chain} block #${e.blockNumber}`,
        );
        break;
      case 'failed':
        failed = e;
        out.emit(
          'failed',
          { reason: e.reason, where: e.where, block: e.blockNumber, refund: e.refund },
          `  ✗ failed on ${e.where === 'crust' ? 'Crust' : receipt.from}  ${e.reason} (block #${e.blockNumber})${e.refund ? `, refund of ${formatAmount(e.refund, f.decimals, f.token)} on its way back` : ''}`,
        );
        break;
      case 'replicas':
        replicaCount = e.count;
        out.emit(
          'replicas',
          { count: e.count, target: e.target, replicas: e.replicas },
          `  ✓ replicas          ${e.count}/${e.target}${e.replicas.length ? `  (${e.replicas.map((r) => r.who.slice(0, 8)).join(', ')})` : ''}`,
        );
        break;
    }
  }
  return { failed, executed, replicaCount };
}
