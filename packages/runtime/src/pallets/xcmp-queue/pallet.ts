/**
 * cumulus_pallet_xcmp_queue (cumulus/pallets/xcmp-queue): `XcmpQueue`. Calls 1..5 as upstream
 * (`suspend_xcm_execution`, `resume_xcm_execution` by the ControllerOrigin; `update_{suspend,drop,resume}_threshold`
 * by Root, each checked by `QueueConfigData::validate`); constants MaxInboundSuspended, MaxActiveOutboundChannels,
 * MaxPageSize. Inbound handling, outbound pages and the router are plain functions (inbound.ts, outbound.ts,
 * router.ts) the runtime wires to parachain-system, message-queue and the XCM executor.
 */
import { ensureRoot } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { ROCKS_DB_WEIGHT, weight } from '../../frame/weights.ts';
import { u32 } from '../../scale/primitives.ts';
import { p, QueueConfig, QueueSuspended, weights, XcmpQueueError } from './items.ts';
import { type QueueConfigData, validQueueConfig, type XcmpQueueConfig } from './types.ts';

const oneWrite = () => weight(Number(ROCKS_DB_WEIGHT.write), 0);

function updateConfig(change: (c: QueueConfigData) => void): void {
  const c = QueueConfig.get();
  change(c);
  if (!validQueueConfig(c)) throw XcmpQueueError.fail('BadQueueConfig');
  QueueConfig.set(c);
}

const thresholdCall = (index: number, field: keyof QueueConfigData, docs: string[]) =>
  call(
    index,
    { new: u32 },
    {
      weight: () => weights().setConfigWithU32,
      class: 'Operational',
      dispatch(origin, args) {
        ensureRoot(origin);
        updateConfig((c) => {
          c[field] = args.new;
        });
      },
      typeNames: { new: 'u32' },
      docs,
    },
  );

export const XcmpQueue = p.build({
  docs: [],
  calls: {
    suspend_xcm_execution: call(
      1,
      {},
      {
        weight: oneWrite,
        class: 'Operational',
        dispatch(origin) {
          (p.config().ensureController ?? ensureRoot)(origin);
          if (QueueSuspended.get()) throw XcmpQueueError.fail('AlreadySuspended');
          QueueSuspended.set(true);
        },
        docs: [
          " Suspends all XCM executions for the XCMP queue, regardless of the sender's origin.",
          '',
          ' - `origin`: Must pass `ControllerOrigin`.',
        ],
      },
    ),
    resume_xcm_execution: call(
      2,
      {},
      {
        weight: oneWrite,
        class: 'Operational',
        dispatch(origin) {
          (p.config().ensureController ?? ensureRoot)(origin);
          if (!QueueSuspended.get()) throw XcmpQueueError.fail('AlreadyResumed');
          QueueSuspended.set(false);
        },
        docs: [
          ' Resumes all XCM executions for the XCMP queue.',
          '',
          " Note that this function doesn't change the status of the in/out bound channels.",
          '',
          ' - `origin`: Must pass `ControllerOrigin`.',
        ],
      },
    ),
    update_suspend_threshold: thresholdCall(3, 'suspend_threshold', [
      ' Overwrites the number of pages which must be in the queue for the other side to be',
      ' told to suspend their sending.',
      '',
      ' - `origin`: Must pass `Root`.',
      ' - `new`: Desired value for `QueueConfigData.suspend_value`',
    ]),
    update_drop_threshold: thresholdCall(4, 'drop_threshold', [
      ' Overwrites the number of pages which must be in the queue after which we drop any',
      ' further messages from the channel.',
      '',
      ' - `origin`: Must pass `Root`.',
      ' - `new`: Desired value for `QueueConfigData.drop_threshold`',
    ]),
    update_resume_threshold: thresholdCall(5, 'resume_threshold', [
      ' Overwrites the number of pages which the queue must be reduced to before it signals',
      ' that message sending may recommence after it has been suspended.',
      '',
      ' - `origin`: Must pass `Root`.',
      ' - `new`: Desired value for `QueueConfigData.resume_threshold`',
    ]),
  },
  constants: {
    MaxInboundSuspended: constant(u32, (c: XcmpQueueConfig) => c.maxInboundSuspended, [
      ' The maximum number of inbound XCMP channels that can be suspended simultaneously.',
    ]),
    MaxActiveOutboundChannels: constant(u32, (c: XcmpQueueConfig) => c.maxActiveOutboundChannels, [
      ' Maximal number of outbound XCMP channels that can have messages queued at the same time.',
    ]),
    MaxPageSize: constant(u32, (c: XcmpQueueConfig) => c.maxPageSize, [
      ' The maximal page size for HRMP message pages.',
    ]),
  },
});
