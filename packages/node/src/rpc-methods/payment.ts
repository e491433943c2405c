/** `payment_queryInfo` / `payment_queryFeeDetails` through the TransactionPaymentApi (numbers as polkadot-js reads them). */
import { FeeDetailsCodec, RuntimeDispatchInfoCodec } from '@xstorage/runtime/executive';
import { u32 } from '@xstorage/runtime/scale';
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { StateErrorCode, stateRead } from './json.ts';

export function registerPayment(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain } = ctx;
  const call = async (method: string, xt: Uint8Array, at?: Uint8Array) => {
    const trie = await stateRead(() => chain.trieAt(at));
    const input = new Uint8Array(xt.length + 4);
    input.set(xt);
    input.set(u32.encode(xt.length), xt.length);
    try {
      return chain.runtime.call(trie, method, input);
    } catch (err) {
      // sc-rpc payment: "Unable to query dispatch info." with the reason (code 1 + 9000 base in upstream).
      throw new RpcError(9001, 'Unable to query dispatch info.', (err as Error).message);
    }
  };
  reg
    .method({
      name: 'payment_queryInfo',
      params: params(['extrinsic', p.hex()], ['at', p.optional(p.hash())]),
      handler: async ([xt, at]) => {
        const info = RuntimeDispatchInfoCodec.decode(
          await call('TransactionPaymentApi_query_info', xt, at),
        ) as any;
        return {
          // The RPC's legacy shape, which polkadot-js decodes as `RuntimeDispatchInfoV1` ("stuck on V1 forever" in
          // @polkadot/types payment/rpc): weight a plain u64 (ref_time), DispatchClass camelCase, partialFee a
          // decimal string (pallet-transaction-payment serde_balance). A 2D weight object fails its u64 decode.
          weight: u64Json(BigInt(info.weight.refTime)),
          class: String(info.class).toLowerCase(),
          partialFee: info.partial_fee.toString(),
        };
      },
    })
    .method({
      name: 'payment_queryFeeDetails',
      params: params(['extrinsic', p.hex()], ['at', p.optional(p.hash())]),
      handler: async ([xt, at]) => {
        const d = FeeDetailsCodec.decode(
          await call('TransactionPaymentApi_query_fee_details', xt, at),
        ) as any;
        const hexU = (n: bigint) => `0x${n.toString(16)}`;
        return {
          inclusionFee: d.inclusion_fee
            ? {
                baseFee: hexU(d.inclusion_fee.base_fee),
                lenFee: hexU(d.inclusion_fee.len_fee),
                adjustedWeightFee: hexU(d.inclusion_fee.adjusted_weight_fee),
              }
            : null,
        };
      },
    });
  void StateErrorCode;
}

/** A u64 as JSON: a number while exact, else 0x hex (polkadot-js's u64 takes both). */
function u64Json(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : `0x${n.toString(16)}`;
}
