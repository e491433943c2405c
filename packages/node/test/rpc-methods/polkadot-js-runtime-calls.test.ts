/**
 * @polkadot/api 16.5.6 runtime calls and payment RPC against an in-process dev node:
 * - `api.call.transactionPaymentApi.queryInfo` / `queryFeeDetails` and `api.call.taggedTransactionQueue
 *   .validateTransaction` with the extrinsic as a hex string and as bytes agree with `tx.paymentInfo` (the path
 *   polkadot-js itself takes);
 * - `api.rpc.payment.queryInfo` decodes (`RuntimeDispatchInfoV1`: weight a u64);
 * - `state_call` takes `""` as empty bytes (polkadot-api's legacy translation sends it);
 * - the runtime APIs' extrinsic parameters are declared as Polkadot's own V15 metadata declares them
 *   (@polkadot/types-support's static Polkadot metadata is the outside reference): one
 *   `sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic` type, shared by `uxt` and `tx`.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Metadata, TypeRegistry } from '@polkadot/types';
import polkadotV15 from '@polkadot/types-support/metadata/v15/polkadot-hex';
import { u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/node.ts';
import { connectApi, startNode } from '../chain/helpers.ts';

let node: Node;
let url = '';
let api: ApiPromise;
let alice: KeyringPair;
let bob: KeyringPair;

beforeAll(async () => {
  const started = await startNode();
  node = started.node;
  url = started.url;
  api = await connectApi(url);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

afterAll(async () => {
  await api?.disconnect();
  await node?.stop();
});

async function raw(method: string, params: unknown[]): Promise<any> {
  const res = await fetch(url.replace('ws://', 'http://'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
}

/** The V15 runtime API parameter types of `registry`'s metadata, by `Api.method.param`. */
function apiParams(registry: TypeRegistry) {
  const out: Record<string, { id: number; name: string; path: string }> = {};
  for (const a of registry.metadata.apis) {
    for (const m of a.methods) {
      for (const i of m.inputs) {
        const si = registry.lookup.getSiType(i.type);
        out[`${a.name}.${m.name}.${i.name}`] = {
          id: i.type.toNumber(),
          name: registry.lookup.getName(i.type) ?? '',
          path: si.path.join('::'),
        };
      }
    }
  }
  return out;
}

describe('runtime calls through @polkadot/api', () => {
  it('transactionPaymentApi.queryInfo / queryFeeDetails with a hex string or bytes equal tx.paymentInfo', async () => {
    const tx = await api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n).signAsync(alice);
    const len = tx.encodedLength;
    const expected = await api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n).paymentInfo(alice);
    for (const arg of [tx.toHex(), tx.toU8a()]) {
      const info = await api.call.transactionPaymentApi.queryInfo(arg, len);
      expect(info.partialFee.toBigInt()).toBe(expected.partialFee.toBigInt());
      expect(info.weight.refTime.toBigInt()).toBe(expected.weight.refTime.toBigInt());
      expect(info.class.toString()).toBe('Normal');
      const details = await api.call.transactionPaymentApi.queryFeeDetails(arg, len);
      const fee = details.inclusionFee.unwrap();
      expect(fee.baseFee.toBigInt() + fee.lenFee.toBigInt() + fee.adjustedWeightFee.toBigInt()).toBe(
        expected.partialFee.toBigInt(),
      );
    }
  });

  it('taggedTransactionQueue.validateTransaction with a hex string or bytes', async () => {
    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const tx = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice, { nonce });
    for (const arg of [tx.toHex(), tx.toU8a()]) {
      const v = await api.call.taggedTransactionQueue.validateTransaction('External', arg, api.genesisHash);
      expect(v.isOk).toBe(true);
      const ok = v.asOk;
      // frame_system CheckNonce: provides (who, nonce), SCALE-encoded.
      expect(ok.provides.map((p) => p.toHex())).toEqual([
        u8aToHex(new Uint8Array([...alice.publicKey, ...new Uint8Array(new Uint32Array([nonce]).buffer)])),
      ]);
      expect(ok.requires.length).toBe(0);
    }
    // A broken signature is refused by the same call (InvalidTransaction::BadProof).
    const bytes = tx.toU8a();
    bytes[40] ^= 0xff;
    const bad = await api.call.taggedTransactionQueue.validateTransaction(
      'External',
      u8aToHex(bytes),
      api.genesisHash,
    );
    expect(bad.isErr).toBe(true);
    expect(bad.asErr.asInvalid.type).toBe('BadProof');
  });

  it('api.rpc.payment.queryInfo decodes (weight as the u64 polkadot-js reads), equal to the runtime call', async () => {
    const tx = await api.tx.balances.transferKeepAlive(bob.address, 5n).signAsync(alice);
    const viaRpc = await api.rpc.payment.queryInfo(tx.toHex());
    const viaCall = await api.call.transactionPaymentApi.queryInfo(tx.toHex(), tx.encodedLength);
    expect(viaRpc.weight.toBigInt()).toBe(viaCall.weight.refTime.toBigInt());
    expect(viaRpc.class.toString()).toBe('Normal');
    expect(viaRpc.partialFee.toBigInt()).toBe(viaCall.partialFee.toBigInt());
    const json = (await raw('payment_queryInfo', [tx.toHex()])).result;
    expect(json).toEqual({
      weight: Number(viaCall.weight.refTime.toBigInt()),
      class: 'normal',
      partialFee: viaCall.partialFee.toString(),
    });
  });

  it('state_call takes "" as empty bytes', async () => {
    const empty = await raw('state_call', ['Core_version', '']);
    const hex = await raw('state_call', ['Core_version', '0x']);
    expect(empty.result).toBe(hex.result);
    expect(new TypeRegistry().createType('RuntimeVersion', empty.result).specName.toString()).toBe(
      'xstorage-dev',
    );
    expect((await raw('state_call', ['Core_version', '0xz'])).error).toMatchObject({ code: -32602 });
  });
});

describe('runtime API extrinsic parameters in metadata V15', () => {
  it('are one UncheckedExtrinsic type, as in Polkadot V15 metadata', () => {
    const polkadot = new TypeRegistry();
    const raw = polkadotV15 as string;
    polkadot.setMetadata(new Metadata(polkadot, `0x${raw.slice(raw.indexOf('6d657461'))}`));
    const ours = api.registry as unknown as TypeRegistry;
    for (const registry of [polkadot, ours]) {
      const params = apiParams(registry);
      const uxt = params['TransactionPaymentApi.query_info.uxt'];
      expect(uxt.path).toBe('sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic');
      expect(uxt.name).toBe('SpRuntimeUncheckedExtrinsic');
      expect(params['TransactionPaymentApi.query_fee_details.uxt'].id).toBe(uxt.id);
      expect(params['TaggedTransactionQueue.validate_transaction.tx'].id).toBe(uxt.id);
      const si = registry.lookup.getSiType(uxt.id);
      expect(si.params.map((p) => p.name.toString())).toEqual(['Address', 'Call', 'Signature', 'Extra']);
      expect(si.def.isComposite && si.def.asComposite.fields.length).toBe(1);
    }
    expect(apiParams(ours)['BlockBuilder.apply_extrinsic.extrinsic'].id).toBe(
      apiParams(ours)['TransactionPaymentApi.query_info.uxt'].id,
    );
  });

  it('extrinsic objects: polkadot-js 16 encodes them as text for this declaration, on Polkadot as here', async () => {
    // Documented limit of the client, not of the node: for polkadot-sdk's declaration (an opaque Vec<u8>)
    // polkadot-js builds `Bytes` from the object's JSON text. Pass `tx.toHex()` or `tx.toU8a()`.
    const tx = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice);
    const polkadot = new TypeRegistry();
    const raw = polkadotV15 as string;
    polkadot.setMetadata(new Metadata(polkadot, `0x${raw.slice(raw.indexOf('6d657461'))}`));
    for (const registry of [polkadot, api.registry]) {
      const asParam = registry.createType('SpRuntimeUncheckedExtrinsic' as any, tx).toU8a();
      expect(u8aToHex(asParam)).not.toBe(tx.toHex());
      expect(Buffer.from(asParam).includes(Buffer.from('{'))).toBe(true);
    }
  });
});
