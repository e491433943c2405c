/**
 * `xcm_runtime_apis::dry_run::DryRunApi` (version 2), as pallet_xcm's `dry_run_call` implements it: dispatch a call
 * from any origin on the state of a block, without fees or signature, and report its result, the events it emitted
 * and the XCMs it executed or queued. Nothing it writes is kept (runtime API calls run on a throwaway overlay).
 * This chain has no XCM router wired into dry runs yet: `local_xcm` is None and `forwarded_xcms` empty, and
 * `dry_run_xcm` answers `Unimplemented`, as a runtime without the XCM executor does.
 */
import { DispatchErrorCodec, type DispatchError } from '../../frame/dispatch-error.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { Runtime } from '../../frame/runtime.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { PaysCodec, type Pays, WeightCodec, type Weight } from '../../frame/weights.ts';
import { resetEvents } from '../../pallets/system/block.ts';
import { Events } from '../../pallets/system/pallet.ts';
import {
  originFromCaller,
  OriginCallerRef,
  type OriginCallerValue,
} from '../../pallets/utility/origin-caller.ts';
import { type Codec, Codec as CodecClass } from '../../scale/codec.ts';
import { hasEnv, withEnv } from '../../frame/env.ts';
import { MemoryBackend } from '../../state/memory-backend.ts';
import { Overlay } from '../../state/overlay.ts';
import { enumeration, option, result, struct, tuple, vec } from '../../scale/composite.ts';
import { u32 } from '../../scale/primitives.ts';
import { OutcomeCodec } from '../../xcm/v5/index.ts';
import { SUPPORTED_VERSIONS, VersionedLocationCodec, VersionedXcmCodec } from '../../xcm/versioned.ts';

export interface PostDispatchInfoValue {
  actual_weight: Weight | undefined;
  pays_fee: Pays;
}

/** `frame_support::dispatch::PostDispatchInfo` */
export const PostDispatchInfoCodec: Codec<PostDispatchInfoValue> = struct(
  { actual_weight: option(WeightCodec), pays_fee: PaysCodec },
  { actual_weight: 'Option<Weight>', pays_fee: 'Pays' },
).named(['frame_support', 'dispatch', 'PostDispatchInfo']);

/** `sp_runtime::DispatchErrorWithPostInfo<PostDispatchInfo>` */
export const DispatchErrorWithPostInfoCodec = struct(
  { post_info: PostDispatchInfoCodec, error: DispatchErrorCodec },
  { post_info: 'Info', error: 'DispatchError' },
).named(['sp_runtime', 'DispatchErrorWithPostInfo'], {
  params: [{ name: 'Info', type: PostDispatchInfoCodec }],
});

/** `DispatchResultWithPostInfo` */
export const DispatchResultWithPostInfoCodec = result(PostDispatchInfoCodec, DispatchErrorWithPostInfoCodec);

/** `xcm_runtime_apis::dry_run::Error` */
export const DryRunErrorCodec = enumeration({ Unimplemented: [0], VersionedConversionFailed: [1] }).named([
  'xcm_runtime_apis',
  'dry_run',
  'Error',
]);

function callDryRunEffects(event: Codec<any>) {
  return struct(
    {
      execution_result: DispatchResultWithPostInfoCodec,
      emitted_events: vec(event),
      local_xcm: option(VersionedXcmCodec),
      forwarded_xcms: vec(tuple(VersionedLocationCodec, vec(VersionedXcmCodec))),
    },
    {
      execution_result: 'DispatchResultWithPostInfo',
      emitted_events: 'Vec<Event>',
      local_xcm: 'Option<VersionedXcm<()>>',
      forwarded_xcms: 'Vec<(VersionedLocation, Vec<VersionedXcm<()>>)>',
    },
  ).named(['xcm_runtime_apis', 'dry_run', 'CallDryRunEffects'], { params: [{ name: 'Event', type: event }] });
}

function xcmDryRunEffects(event: Codec<any>) {
  return struct(
    {
      execution_result: OutcomeCodec,
      emitted_events: vec(event),
      forwarded_xcms: vec(tuple(VersionedLocationCodec, vec(VersionedXcmCodec))),
    },
    {
      execution_result: 'Outcome',
      emitted_events: 'Vec<Event>',
      forwarded_xcms: 'Vec<(VersionedLocation, Vec<VersionedXcm<()>>)>',
    },
  ).named(['xcm_runtime_apis', 'dry_run', 'XcmDryRunEffects'], { params: [{ name: 'Event', type: event }] });
}

/**
 * `codec` decoding and encoding as `runtime`'s types even outside its env. Runtime API arguments are decoded before
 * the call enters the runtime, while the origin's account and a call's nested calls (`Box<RuntimeCall>`) resolve
 * through the env: reads and writes run in an env of `runtime` over an empty state (codecs touch no storage).
 */
function boundTo<T>(runtime: Runtime, codec: Codec<T>): Codec<T> {
  const inEnv = <R>(fn: () => R): R =>
    hasEnv() ? fn() : withEnv({ state: new Overlay(new MemoryBackend()), runtime }, fn);
  return new CodecClass<T>(
    (w, v) => inEnv(() => codec.write(w, v)),
    (r) => inEnv(() => codec.read(r)),
    () => inEnv(() => codec.info),
    codec.minLength,
  );
}

export function dryRunApiDecl(runtime: Runtime): RuntimeApiDecl {
  return {
    name: 'DryRunApi',
    version: 2,
    docs: [
      ' API for dry-running extrinsics and XCM programs to get the programs that need to be passed to the fees API.',
    ],
    methods: {
      dry_run_call: {
        inputs: [
          ['origin', boundTo(runtime, OriginCallerRef)],
          ['call', boundTo(runtime, runtime.callCodec)],
          ['result_xcms_version', u32],
        ],
        output: result(callDryRunEffects(runtime.eventCodec), DryRunErrorCodec),
        docs: [' Dry run call V2.'],
      },
      dry_run_xcm: {
        inputs: [
          ['origin_location', VersionedLocationCodec],
          ['xcm', VersionedXcmCodec],
        ],
        output: result(xcmDryRunEffects(runtime.eventCodec), DryRunErrorCodec),
        docs: [' Dry run XCM program'],
      },
    },
  };
}

function postInfo(p: { actualWeight?: Weight; paysFee?: Pays }): PostDispatchInfoValue {
  return { actual_weight: p.actualWeight, pays_fee: p.paysFee ?? 'Yes' };
}

/** `dry_run_call`: clears the events, dispatches `call` as `origin`, reports what happened. */
export function dryRunCall(
  runtime: Runtime,
  caller: OriginCallerValue,
  call: RuntimeCallValue,
  xcmsVersion: number,
) {
  if (!(SUPPORTED_VERSIONS as readonly number[]).includes(xcmsVersion))
    return { err: { type: 'VersionedConversionFailed' } };
  resetEvents();
  const outcome = runtime.dispatch(call, originFromCaller(caller));
  const execution_result:
    | { ok: PostDispatchInfoValue }
    | { err: { post_info: PostDispatchInfoValue; error: DispatchError } } = outcome.ok
    ? { ok: postInfo(outcome.postInfo) }
    : { err: { post_info: postInfo(outcome.postInfo), error: outcome.error } };
  const emitted_events = Events.get().map((r: { event: unknown }) => r.event);
  return { ok: { execution_result, emitted_events, local_xcm: undefined, forwarded_xcms: [] } };
}

export function dryRunApi(runtime: Runtime): RuntimeApiImpl {
  return {
    api: dryRunApiDecl(runtime),
    methods: {
      dry_run_call: (origin: OriginCallerValue, call: RuntimeCallValue, version: number) =>
        dryRunCall(runtime, origin, call, version),
      dry_run_xcm: () => ({ err: { type: 'Unimplemented' } }),
    },
  };
}
