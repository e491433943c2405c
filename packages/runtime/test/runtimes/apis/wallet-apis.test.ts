/**
 * The runtime APIs chain tools call, through `runtime.callApi` with SCALE bytes as a node passes them:
 * GenesisBuilder (the development preset rebuilt with build_state gives the profile's genesis state exactly; hostile
 * JSON is an `Err(String)` that writes nothing), SessionKeys (seeded keys are the ones @polkadot/keyring derives;
 * undecodable keys are None; no seed and no keystore fails), DryRunApi (a dispatch's result and events on a throwaway
 * state, origins of any kind, unsupported XCM versions, hostile origin bytes), on the dev chain and on a 20-byte
 * account chain (Moonbeam's profile: Alith is the session validator, //Alice's sr25519 key the Aura authority).
 */
import { Keyring } from '@polkadot/keyring';
import { beforeAll, describe, expect, it } from 'vitest';
import { Balances } from '../../../src/pallets/balances/index.ts';
import { Key, Sudo } from '../../../src/pallets/sudo/index.ts';
import { System } from '../../../src/pallets/system/pallet.ts';
import { Authorities } from '../../../src/pallets/aura/index.ts';
import { Validators } from '../../../src/pallets/session/index.ts';
import { DryRunErrorCodec, NoKeystoreError } from '../../../src/runtimes/apis/index.ts';
import {
  devAccounts,
  devProfile,
  ethDevAccounts,
  makeDevRuntime,
  runtimeProfile,
  UNIT,
} from '../../../src/runtimes/index.ts';
import { bytes, option, result, str, u32, unit } from '../../../src/scale/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { ready } from '../dev-chain.ts';

beforeAll(() => ready);

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const BuildResult = result(unit, str);
const OptionBytes = option(bytes);

function genesisEntries(overlay: Overlay): Map<string, string> {
  return new Map(
    overlay
      .drainChanges()
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [hex(k), hex(v as Uint8Array)]),
  );
}

describe('GenesisBuilder', () => {
  const dev = makeDevRuntime();
  const call = (overlay: Overlay, method: string, input: Uint8Array) =>
    dev.runtime.callApi(overlay, `GenesisBuilder_${method}`, input);

  it('preset_names, get_preset(None | development | unknown)', () => {
    const o = new Overlay(new MemoryBackend());
    expect(hex(call(o, 'preset_names', new Uint8Array()))).toBe(
      hex(new Uint8Array([4, 44, ...enc('development')])),
    );
    const none = OptionBytes.decode(call(o, 'get_preset', new Uint8Array([0])))!;
    const defaults = JSON.parse(new TextDecoder().decode(none));
    expect(Object.keys(defaults)).toEqual([
      'system',
      'balances',
      'transactionPayment',
      'sudo',
      'assets',
      'aura',
      'session',
    ]);
    expect(defaults.transactionPayment.multiplier).toBe(10 ** 18);
    const unknown = call(o, 'get_preset', option(bytes).encode(enc('local_testnet')));
    expect(OptionBytes.decode(unknown)).toBeUndefined();
  });

  it('build_state(default ⊕ development preset) writes exactly the dev profile’s genesis state', () => {
    const o = new Overlay(new MemoryBackend());
    const defaults = JSON.parse(
      new TextDecoder().decode(OptionBytes.decode(call(o, 'get_preset', new Uint8Array([0])))!),
    );
    const preset = JSON.parse(
      new TextDecoder().decode(
        OptionBytes.decode(call(o, 'get_preset', OptionBytes.encode(enc('development'))))!,
      ),
    );
    // Balances are u128: the JSON carries them as exact integers (1,000,000 UNIT = 10^18).
    const text = new TextDecoder().decode(
      OptionBytes.decode(call(o, 'get_preset', OptionBytes.encode(enc('development'))))!,
    );
    expect(text).toContain(`,${1_000_000n * UNIT}]`);
    // 10^18 is exact as a JS number, so a JSON round trip keeps every balance here.
    const full = JSON.stringify({ ...defaults, ...preset });
    const built = new Overlay(new MemoryBackend());
    expect(BuildResult.decode(call(built, 'build_state', bytes.encode(enc(full))))).toEqual({
      ok: undefined,
    });
    const expected = makeDevRuntime().runtime.buildGenesis(devProfile.genesisConfig());
    expect(genesisEntries(built)).toEqual(genesisEntries(expected));
  });

  it('hostile JSON: Err(String) naming the problem, and nothing written', () => {
    const o = new Overlay(new MemoryBackend());
    const defaults = JSON.parse(
      new TextDecoder().decode(OptionBytes.decode(call(o, 'get_preset', new Uint8Array([0])))!),
    );
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array([0xff, 0xfe]), /Invalid JSON/],
      [enc('{"balances":'), /Invalid JSON/],
      [enc('[]'), /expected an object/],
      [enc(JSON.stringify({ ...defaults, nope: {} })), /unknown field `nope`/],
      [enc(JSON.stringify({ balances: { balances: [] } })), /missing field `system`/],
      [enc(JSON.stringify({ ...defaults, sudo: { key: '0x1234' } })), /expected 32 bytes/],
      [enc(JSON.stringify({ ...defaults, sudo: { key: 'not an address' } })), /neither 0x hex nor SS58/],
      [enc(JSON.stringify({ ...defaults, balances: { balances: [['0x00', 1]] } })), /expected 32 bytes/],
      [enc(JSON.stringify({ ...defaults, balances: { balances: [], extra: 1 } })), /unknown field `extra`/],
    ];
    for (const [json, why] of cases) {
      const fresh = new Overlay(new MemoryBackend());
      const out = BuildResult.decode(call(fresh, 'build_state', bytes.encode(json))) as { err: string };
      expect(out.err).toMatch(why);
      expect(fresh.drainChanges()).toEqual([]);
    }
  });

  it('accepts SS58 accounts as polkadot-sdk writes them', () => {
    const o = new Overlay(new MemoryBackend());
    const defaults = JSON.parse(
      new TextDecoder().decode(OptionBytes.decode(call(o, 'get_preset', new Uint8Array([0])))!),
    );
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const json = JSON.stringify({ ...defaults, sudo: { key: alice.address } });
    const built = new Overlay(new MemoryBackend());
    expect(BuildResult.decode(call(built, 'build_state', bytes.encode(enc(json))))).toEqual({
      ok: undefined,
    });
    expect(hex(dev.runtime.execute(built, () => Key.get())!)).toBe(hex(alice.publicKey));
  });
});

describe('SessionKeys', () => {
  const dev = makeDevRuntime();
  const o = new Overlay(new MemoryBackend());
  it('generate_session_keys(seed) gives the key @polkadot/keyring derives; decode_session_keys splits keys', () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const out = dev.runtime.callApi(
      o,
      'SessionKeys_generate_session_keys',
      OptionBytes.encode(enc('//Charlie')),
    );
    expect(hex(bytes.decode(out))).toBe(hex(keyring.addFromUri('//Charlie').publicKey));
    const phrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
    const fromPhrase = dev.runtime.callApi(
      o,
      'SessionKeys_generate_session_keys',
      OptionBytes.encode(enc(`${phrase}//x`)),
    );
    expect(hex(bytes.decode(fromPhrase))).toBe(hex(keyring.addFromUri(`${phrase}//x`).publicKey));
    const decoded = dev.runtime.callApi(
      o,
      'SessionKeys_decode_session_keys',
      bytes.encode(devAccounts().Bob),
    );
    expect(hex(decoded)).toBe(`0104${'80'}${hex(devAccounts().Bob)}${hex(enc('aura'))}`);
    for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array()]) {
      const none = dev.runtime.callApi(o, 'SessionKeys_decode_session_keys', bytes.encode(bad));
      expect(hex(none)).toBe('00');
    }
  });

  it('without a seed it needs the host keystore', () => {
    expect(() => dev.runtime.callApi(o, 'SessionKeys_generate_session_keys', new Uint8Array([0]))).toThrow(
      NoKeystoreError,
    );
    const withKeystore = makeDevRuntime({ generateSessionKey: () => new Uint8Array(32).fill(3) });
    const out = withKeystore.runtime.callApi(o, 'SessionKeys_generate_session_keys', new Uint8Array([0]));
    expect(hex(bytes.decode(out))).toBe(hex(new Uint8Array(32).fill(3)));
  });
});

describe('DryRunApi', () => {
  const dev = makeDevRuntime();
  const genesis = () => {
    const backend = new MemoryBackend();
    backend.apply(dev.runtime.buildGenesis(devProfile.genesisConfig()).drainChanges());
    return backend;
  };
  const signed = (who: Uint8Array) => new Uint8Array([0, 1, ...who]);
  const encodeCall = (c: any) =>
    dev.runtime.execute(new Overlay(new MemoryBackend()), () => dev.runtime.callCodec.encode(c));
  const dryRun = (backend: MemoryBackend, origin: Uint8Array, call: any, version = 5) => {
    const o = new Overlay(backend);
    const out = dev.runtime.callApi(
      o,
      'DryRunApi_dry_run_call',
      new Uint8Array([...origin, ...encodeCall(call), ...u32.encode(version)]),
    );
    return { out, overlay: o };
  };

  it('reports the result and events of a transfer; the backend is unchanged', () => {
    const backend = genesis();
    const before = [...backend.entries()].length;
    const { Alice, Bob } = devAccounts();
    const { out } = dryRun(
      backend,
      signed(Alice),
      Balances.tx.transfer_keep_alive({ dest: { type: 'Id', value: Bob }, value: UNIT }),
    );
    // Ok(CallDryRunEffects { execution_result: Ok(PostDispatchInfo { actual_weight: None, pays_fee: Yes }), .. }).
    expect(hex(out.subarray(0, 4))).toBe('00000000');
    expect([...backend.entries()].length).toBe(before);
    const failing = dryRun(
      backend,
      signed(Bob),
      Sudo.tx.sudo({ call: System.tx.remark({ remark: new Uint8Array() }) }),
    );
    // Ok(.. execution_result: Err(DispatchErrorWithPostInfo { post_info: { None, Yes }, error: Module(4, [0,..]) }) ..)
    expect(hex(failing.out.subarray(0, 10))).toBe(`00010000${'03'}04${'00000000'}`);
  });

  it('takes Root and None origins; refuses unknown XCM versions and hostile origin bytes', () => {
    const backend = genesis();
    const root = dryRun(backend, new Uint8Array([0, 0]), System.tx.remark({ remark: new Uint8Array([1]) }));
    expect(hex(root.out.subarray(0, 2))).toBe('0000');
    const bad = dryRun(backend, new Uint8Array([0, 0]), System.tx.remark({ remark: new Uint8Array() }), 2);
    expect(result(unit, DryRunErrorCodec).decode(bad.out)).toEqual({
      err: { type: 'VersionedConversionFailed' },
    });
    const remark = encodeCall(System.tx.remark({ remark: new Uint8Array() }));
    for (const origin of [
      new Uint8Array([0, 3]), // RawOrigin variant 3: none
      new Uint8Array([1]), // Void (index 1 here): uninhabited
      new Uint8Array([9, 0]), // no such pallet origin
      new Uint8Array([0, 1, 1, 2]), // Signed with a truncated account
    ]) {
      expect(() =>
        dev.runtime.callApi(
          new Overlay(backend),
          'DryRunApi_dry_run_call',
          new Uint8Array([...origin, ...remark, 5, 0, 0, 0]),
        ),
      ).toThrow();
    }
    const xcm = dev.runtime.callApi(
      new Overlay(backend),
      'DryRunApi_dry_run_xcm',
      new Uint8Array([5, 0, 0, 5, 0]),
    );
    expect(hex(xcm)).toBe('0100');
  });
});

describe('a 20-byte account chain (Moonbeam profile)', () => {
  it('Alith is the session validator; //Alice’s sr25519 key is the Aura authority; OriginCaller takes AccountId20', () => {
    const profile = runtimeProfile('moonbeam');
    const chain = profile.make();
    const overlay = chain.runtime.buildGenesis(profile.genesisConfig());
    const { Alith } = ethDevAccounts() as Record<string, Uint8Array>;
    chain.runtime.execute(overlay, () => {
      expect(Validators.get().map(hex)).toEqual([hex(Alith)]);
      expect(Authorities.get().map(hex)).toEqual([hex(devAccounts().Alice)]);
    });
    const remark = chain.runtime.execute(new Overlay(new MemoryBackend()), () =>
      chain.runtime.callCodec.encode(System.tx.remark({ remark: new Uint8Array() })),
    );
    const out = chain.runtime.callApi(
      overlay,
      'DryRunApi_dry_run_call',
      new Uint8Array([0, 1, ...Alith, ...remark, 5, 0, 0, 0]),
    );
    expect(hex(out.subarray(0, 2))).toBe('0000');
  });
});
