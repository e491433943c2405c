/**
 * `XstorageAutomationApi`: quote and follow scheduled renewals from a client.
 *
 *   const fee = await api.call.xstorageAutomationApi.estimatePrepaidFee(amount);   // CRU a task takes when it fires
 *   const task = await api.call.xstorageAutomationApi.task(taskId);                // Option<PrepaidTask>
 */
import { H256 } from '../../extrinsic/primitives.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { option } from '../../scale/composite.ts';
import { u128 } from '../../scale/primitives.ts';
import { estimatePrepaidFee, Tasks } from './pallet.ts';
import { type PrepaidTask, PrepaidTaskCodec } from './types.ts';

export const XstorageAutomationApiDecl: RuntimeApiDecl = {
  name: 'XstorageAutomationApi',
  version: 1,
  docs: [' Quotes and follows scheduled renewals (`market.add_prepaid` on Crust).'],
  methods: {
    estimate_prepaid_fee: {
      inputs: [['amount', u128]],
      output: u128,
      docs: [
        ' The CRU a task adding `amount` to a prepaid would take if it fired now; 0 if it could not be sent.',
      ],
    },
    task: {
      inputs: [['task_id', H256]],
      output: option(PrepaidTaskCodec),
      docs: [' A task and its status.'],
    },
  },
};

export const xstorageAutomationApi: RuntimeApiImpl = {
  api: XstorageAutomationApiDecl,
  methods: {
    estimate_prepaid_fee: (amount: bigint): bigint => estimatePrepaidFee(amount),
    task: (id: Uint8Array): PrepaidTask | undefined => Tasks.get(id),
  },
};
