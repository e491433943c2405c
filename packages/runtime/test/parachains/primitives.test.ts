/**
 * Parachain primitives against outside vectors: polkadot-sdk's literal well-known key constants
 * (polkadot/primitives/src/v8/mod.rs `well_known_keys`), polkadot-sdk's MQC head fixtures (polkadot/runtime/parachains
 * src/dmp/tests.rs `dmp_mqc_head_fixture`, `verify_dmq_mqc_head_is_externally_accessible`; src/hrmp/tests.rs
 * `hrmp_mqc_head_fixture`), and polkadot-js's bundled Polkadot metadata (types by Rust path, storage keys).
 */
import { Keyring } from '@polkadot/keyring';
import { compactStripLength, hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress, xxhashAsU8a } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto, sr25519Verify } from '../../src/crypto/index.ts';
import {
  AbridgedHostConfigurationCodec,
  AbridgedHrmpChannelCodec,
  attestationPayload,
  BackedCandidateCodec,
  type CandidateCommitments,
  CandidateCommitmentsCodec,
  CandidateDescriptorCodec,
  CandidateReceiptCodec,
  type CommittedCandidateReceipt,
  CommittedCandidateReceiptCodec,
  candidateHash,
  collatorSignaturePayload,
  commitmentsHash,
  compactStatementPayload,
  decodeAbridgedHostConfiguration,
  decodeAbridgedHrmpChannel,
  downwardMqcHead,
  extendMqc,
  HrmpChannelIdCodec,
  hrmpMqcHead,
  InboundDownwardMessageCodec,
  InboundHrmpMessageCodec,
  MAX_UPWARD_MESSAGE_NUM,
  ParachainsInherentDataCodec,
  ParaIdCodec,
  PersistedValidationDataCodec,
  paraSovereignAccount,
  persistedValidationDataHash,
  siblingSovereignAccount,
  toPlainReceipt,
  UpgradeGoAheadCodec,
  UpgradeRestrictionCodec,
  ValidityAttestationCodec,
  validationCodeHash,
  wellKnownKeys,
} from '../../src/parachains/index.ts';
import { ScaleDecodeError, ScaleEncodeError } from '../../src/scale/index.ts';
import { pjsRoundTrip, pjsStorage, pjsType, registry } from './pjs-polkadot.ts';

const hex = (b: Uint8Array) => u8aToHex(b);
const h = (byte: number) => new Uint8Array(32).fill(byte);
const key = (k: Uint8Array) => compactStripLength(k)[1];

beforeAll(async () => {
  await initCrypto();
});

describe('well-known keys', () => {
  // The literal constants of polkadot-sdk polkadot/primitives/src/v8/mod.rs `pub mod well_known_keys`.
  it('equal polkadot-sdk constants', () => {
    expect(hex(wellKnownKeys.EPOCH_INDEX)).toBe(
      '0x1cb6f36e027abb2091cfb5110ab5087f38316cbf8fa0da822a20ac1c55bf1be3',
    );
    expect(hex(wellKnownKeys.CURRENT_BLOCK_RANDOMNESS)).toBe(
      '0x1cb6f36e027abb2091cfb5110ab5087fd077dfdb8adb10f78f10a5df8742c545',
    );
    expect(hex(wellKnownKeys.ONE_EPOCH_AGO_RANDOMNESS)).toBe(
      '0x1cb6f36e027abb2091cfb5110ab5087f7ce678799d3eff024253b90e84927cc6',
    );
    expect(hex(wellKnownKeys.TWO_EPOCHS_AGO_RANDOMNESS)).toBe(
      '0x1cb6f36e027abb2091cfb5110ab5087f7a414cb008e0e61e46722aa60abdd672',
    );
    expect(hex(wellKnownKeys.CURRENT_SLOT)).toBe(
      '0x1cb6f36e027abb2091cfb5110ab5087f06155b3cd9a8c9e5e9a23fd5dc13a5ed',
    );
    expect(hex(wellKnownKeys.ACTIVE_CONFIG)).toBe(
      '0x06de3d8a54d27e44a9d5ce189618f22db4b49d95320d9021994c850f25b8e385',
    );
  });

  it('para-keyed maps use polkadot-sdk prefixes ++ twox64(id) ++ id', () => {
    const id = 2008;
    const idLe = hexToU8a('0xd8070000');
    const tail = `${hex(xxhashAsU8a(idLe, 64)).slice(2)}d8070000`;
    const prefixes: Array<[(id: number) => Uint8Array, string]> = [
      [wellKnownKeys.paraHead, 'cd710b30bd2eab0352ddcc26417aa1941b3c252fcb29d88eff4f3de5de4476c3'],
      [
        wellKnownKeys.hrmpIngressChannelIndex,
        '6a0da05ca59913bc38a8630590f2627c1d3719f5b0b12c7105c073c507445948',
      ],
      [
        wellKnownKeys.hrmpEgressChannelIndex,
        '6a0da05ca59913bc38a8630590f2627cf12b746dcf32e843354583c9702cc020',
      ],
      [wellKnownKeys.dmqMqcHead, '63f78c98723ddc9073523ef3beefda0c4d7fefc408aac59dbfe80a72ac8e3ce5'],
      [
        wellKnownKeys.upgradeGoAheadSignal,
        'cd710b30bd2eab0352ddcc26417aa1949e94c040f5e73d9b7addd6cb603d15d3',
      ],
      [
        wellKnownKeys.upgradeRestrictionSignal,
        'cd710b30bd2eab0352ddcc26417aa194f27bbb460270642b5bcaf032ea04d56a',
      ],
    ];
    for (const [fn, prefix] of prefixes) expect(hex(fn(id))).toBe(`0x${prefix}${tail}`);
    const channel = { sender: 2000, recipient: 2008 };
    const enc = hexToU8a('0xd0070000d8070000');
    expect(hex(wellKnownKeys.hrmpChannels(channel))).toBe(
      `0x6a0da05ca59913bc38a8630590f2627cb6604cff828a6e3f579ca6c59ace013d${hex(xxhashAsU8a(enc, 64)).slice(2)}d0070000d8070000`,
    );
  });

  it('are the keys polkadot-js queries on Polkadot', () => {
    expect(hex(wellKnownKeys.paraHead(2000))).toBe(hex(key(pjsStorage.paras.heads(2000))));
    expect(hex(wellKnownKeys.dmqMqcHead(2035))).toBe(
      hex(key(pjsStorage.dmp.downwardMessageQueueHeads(2035))),
    );
    expect(hex(wellKnownKeys.hrmpIngressChannelIndex(3388))).toBe(
      hex(key(pjsStorage.hrmp.hrmpIngressChannelsIndex(3388))),
    );
    expect(hex(wellKnownKeys.hrmpEgressChannelIndex(2004))).toBe(
      hex(key(pjsStorage.hrmp.hrmpEgressChannelsIndex(2004))),
    );
    expect(hex(wellKnownKeys.hrmpChannels({ sender: 2004, recipient: 2008 }))).toBe(
      hex(key(pjsStorage.hrmp.hrmpChannels({ sender: 2004, recipient: 2008 }))),
    );
    expect(hex(wellKnownKeys.ACTIVE_CONFIG)).toBe(hex(key(pjsStorage.configuration.activeConfig())));
  });

  it('the deprecated relay_dispatch_queue_size uses polkadot-sdk prefix', () => {
    expect(hex(wellKnownKeys.relayDispatchQueueSize(2008)).slice(0, 66)).toBe(
      '0xf5207f03cfdce586301014700e2c2593fad157e461d71fd4c1f936839a5f1f3e',
    );
  });

  it('relay_dispatch_queue_remaining_capacity is the raw tuple encoding (no length before the byte array)', () => {
    const k = wellKnownKeys.relayDispatchQueueRemainingCapacity(2000);
    const expected = registry.createType('([u8;40], u32)', [
      new TextEncoder().encode(':relay_dispatch_queue_remaining_capacity'),
      2000,
    ]);
    expect(hex(k)).toBe(hex(expected.toU8a()));
  });

  it('a para id outside u32 is refused', () => {
    expect(() => wellKnownKeys.paraHead(2 ** 32)).toThrow(ScaleEncodeError);
    expect(() => wellKnownKeys.paraHead(-1)).toThrow(ScaleEncodeError);
  });
});

describe('MQC heads (polkadot-sdk fixtures)', () => {
  it('dmp_mqc_head_fixture: [1,2,3] at block 2, [4,5,6] at block 3', () => {
    const head = downwardMqcHead([
      { sent_at: 2, msg: Uint8Array.of(1, 2, 3) },
      { sent_at: 3, msg: Uint8Array.of(4, 5, 6) },
    ]);
    expect(hex(head)).toBe('0x88dc00db8cc9d22aa62b87807705831f164387dfa49f80a8600ed1cbe1704b6b');
  });

  it('verify_dmq_mqc_head_is_externally_accessible: [1,2,3] at block 0', () => {
    expect(hex(downwardMqcHead([{ sent_at: 0, msg: Uint8Array.of(1, 2, 3) }]))).toBe(
      '0x434f8579a2297dfea851bf6be33093c83a78b655a53ae141a7894494c0010589',
    );
  });

  it('hrmp_mqc_head_fixture: [1,2,3] at block 3, [4,5,6] at block 4 (HRMP and DMP links are the same)', () => {
    const head = hrmpMqcHead([
      { sent_at: 3, data: Uint8Array.of(1, 2, 3) },
      { sent_at: 4, data: Uint8Array.of(4, 5, 6) },
    ]);
    expect(hex(head)).toBe('0xa964fd3b4f3d3ce92a0e25e576b87590d92bb5cb7031909c7f29050e1f04a375');
  });

  it('refuses a head that is not 32 bytes', () => {
    expect(() => extendMqc(new Uint8Array(31), 1, new Uint8Array())).toThrow(TypeError);
  });
});

describe('sovereign accounts', () => {
  it('para 2000 on Polkadot and as a sibling (DESIGN §5, Acala sovereign 13YMK2…)', () => {
    expect(encodeAddress(paraSovereignAccount(2000), 0)).toBe(
      '13YMK2eYoAvStnzReuxBjMrAvPXmmdsURwZvc62PrdXimbNy',
    );
    expect(hex(siblingSovereignAccount(2000))).toBe(
      hex(decodeAddress('5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8')),
    );
    expect(paraSovereignAccount(2000, 20)).toHaveLength(20);
  });
});

function sampleCommitments(): CandidateCommitments {
  return {
    upward_messages: [Uint8Array.of(1, 2), Uint8Array.of(3)],
    horizontal_messages: [
      { recipient: 2000, data: Uint8Array.of(9, 9, 9) },
      { recipient: 2008, data: new Uint8Array(70).fill(5) },
    ],
    new_validation_code: Uint8Array.of(0xde, 0xad),
    head_data: new Uint8Array(100).fill(7),
    processed_downward_messages: 3,
    hrmp_watermark: 41,
  };
}

function sampleCandidate(): CommittedCandidateReceipt {
  return {
    descriptor: {
      para_id: 2004,
      relay_parent: h(1),
      collator: h(2),
      persisted_validation_data_hash: h(3),
      pov_hash: h(4),
      erasure_root: h(5),
      signature: new Uint8Array(64).fill(6),
      para_head: h(7),
      validation_code_hash: h(8),
    },
    commitments: sampleCommitments(),
  };
}

describe('encodings agree with polkadot-js (Polkadot metadata types)', () => {
  const V6 = 'polkadot_primitives::v6';
  const cases: Array<[string, { encode(v: any): Uint8Array; decode(b: Uint8Array): any }, unknown]> = [
    ['polkadot_parachain_primitives::primitives::Id', ParaIdCodec, 3388],
    [
      'polkadot_parachain_primitives::primitives::HrmpChannelId',
      HrmpChannelIdCodec,
      { sender: 2000, recipient: 2008 },
    ],
    [
      'polkadot_core_primitives::InboundDownwardMessage',
      InboundDownwardMessageCodec,
      { sent_at: 9, msg: Uint8Array.of(1) },
    ],
    [
      'polkadot_core_primitives::InboundHrmpMessage',
      InboundHrmpMessageCodec,
      { sent_at: 12, data: Uint8Array.of(2, 3) },
    ],
    [`${V6}::CandidateCommitments`, CandidateCommitmentsCodec, sampleCommitments()],
    [`${V6}::CandidateDescriptor`, CandidateDescriptorCodec, sampleCandidate().descriptor],
    [`${V6}::CommittedCandidateReceipt`, CommittedCandidateReceiptCodec, sampleCandidate()],
    [`${V6}::CandidateReceipt`, CandidateReceiptCodec, toPlainReceipt(sampleCandidate())],
    [
      `${V6}::ValidityAttestation`,
      ValidityAttestationCodec,
      { type: 'Explicit', value: new Uint8Array(64).fill(3) },
    ],
    [
      `${V6}::BackedCandidate`,
      BackedCandidateCodec,
      {
        candidate: sampleCandidate(),
        validity_votes: [{ type: 'Implicit', value: new Uint8Array(64).fill(1) }],
        validator_indices: [true, false, true],
      },
    ],
    [`${V6}::UpgradeGoAhead`, UpgradeGoAheadCodec, 'GoAhead'],
    [`${V6}::UpgradeRestriction`, UpgradeRestrictionCodec, 'Present'],
  ];
  for (const [path, codec, value] of cases) {
    it(path, () => {
      const ours = codec.encode(value);
      const { reencoded } = pjsRoundTrip(path, ours);
      expect(hex(reencoded)).toBe(hex(ours));
      expect(codec.decode(reencoded)).toEqual(value);
    });
  }

  it('values built by polkadot-js decode to the same fields', () => {
    const pjs = registry.createType(pjsType(`${V6}::CandidateCommitments`), {
      upwardMessages: ['0x0102'],
      horizontalMessages: [{ recipient: 2030, data: '0xff' }],
      newValidationCode: null,
      headData: '0x1234',
      processedDownwardMessages: 2,
      hrmpWatermark: 77,
    });
    expect(CandidateCommitmentsCodec.decode(pjs.toU8a())).toEqual({
      upward_messages: [Uint8Array.of(1, 2)],
      horizontal_messages: [{ recipient: 2030, data: Uint8Array.of(0xff) }],
      new_validation_code: undefined,
      head_data: Uint8Array.of(0x12, 0x34),
      processed_downward_messages: 2,
      hrmp_watermark: 77,
    });
  });

  it('the parachains inherent data (polkadot_primitives InherentData) with the parent header', () => {
    const data = {
      bitfields: [{ payload: [true, false], validator_index: 0, signature: new Uint8Array(64).fill(9) }],
      backed_candidates: [{ candidate: sampleCandidate(), validity_votes: [], validator_indices: [true] }],
      disputes: [],
      parent_header: {
        parentHash: h(1),
        number: 7,
        stateRoot: h(2),
        extrinsicsRoot: h(3),
        digest: { logs: [] },
      },
    };
    const ours = ParachainsInherentDataCodec.encode(data as any);
    const { reencoded } = pjsRoundTrip(`${V6}::InherentData`, ours);
    expect(hex(reencoded)).toBe(hex(ours));
    expect(ParachainsInherentDataCodec.decode(ours)).toEqual(data);
  });

  it('ActiveConfig: the abridged configuration is the prefix of the full HostConfiguration', () => {
    const full = registry.createType(
      pjsType('polkadot_runtime_parachains::configuration::HostConfiguration'),
      {
        maxCodeSize: 3_145_728,
        maxHeadDataSize: 32_768,
        maxUpwardQueueCount: 174_762,
        maxUpwardQueueSize: 1_048_576,
        maxUpwardMessageSize: 65_531,
        maxUpwardMessageNumPerCandidate: 16,
        hrmpMaxMessageNumPerCandidate: 10,
        validationUpgradeCooldown: 14_400,
        validationUpgradeDelay: 600,
        asyncBackingParams: { maxCandidateDepth: 3, allowedAncestryLen: 2 },
        maxPovSize: 10_485_760,
        hrmpChannelMaxCapacity: 1000,
      },
    );
    const abridged = decodeAbridgedHostConfiguration(full.toU8a());
    expect(abridged).toEqual({
      max_code_size: 3_145_728,
      max_head_data_size: 32_768,
      max_upward_queue_count: 174_762,
      max_upward_queue_size: 1_048_576,
      max_upward_message_size: 65_531,
      max_upward_message_num_per_candidate: 16,
      hrmp_max_message_num_per_candidate: 10,
      validation_upgrade_cooldown: 14_400,
      validation_upgrade_delay: 600,
      async_backing_params: { max_candidate_depth: 3, allowed_ancestry_len: 2 },
    });
    // The whole value is not an abridged configuration.
    expect(() => AbridgedHostConfigurationCodec.decode(full.toU8a())).toThrow(ScaleDecodeError);
  });

  it('HrmpChannel: the abridged channel is its prefix', () => {
    const full = registry.createType(pjsType('polkadot_runtime_parachains::hrmp::HrmpChannel'), {
      maxCapacity: 1000,
      maxTotalSize: 102_400,
      maxMessageSize: 102_400,
      msgCount: 2,
      totalSize: 30,
      mqcHead: `0x${'11'.repeat(32)}`,
      senderDeposit: 10n ** 12n,
      recipientDeposit: 0,
    });
    expect(decodeAbridgedHrmpChannel(full.toU8a())).toEqual({
      max_capacity: 1000,
      max_total_size: 102_400,
      max_message_size: 102_400,
      msg_count: 2,
      total_size: 30,
      mqc_head: h(0x11),
    });
    expect(
      AbridgedHrmpChannelCodec.decode(
        AbridgedHrmpChannelCodec.encode(decodeAbridgedHrmpChannel(full.toU8a())),
      ),
    ).toEqual(decodeAbridgedHrmpChannel(full.toU8a()));
  });
});

describe('hashes and signing payloads', () => {
  it('candidate hash = blake2_256(plain receipt), commitments hash = blake2_256(commitments)', () => {
    const c = sampleCandidate();
    const receipt = registry.createType(
      pjsType('polkadot_primitives::v6::CandidateReceipt'),
      CandidateReceiptCodec.encode(toPlainReceipt(c)),
    );
    const commitments = registry.createType(
      pjsType('polkadot_primitives::v6::CandidateCommitments'),
      CandidateCommitmentsCodec.encode(c.commitments),
    );
    expect(hex(commitmentsHash(c.commitments))).toBe(hex(commitments.hash));
    expect(hex(candidateHash(c))).toBe(hex(receipt.hash));
  });

  it('persisted validation data hash and validation code hash', () => {
    const pvd = {
      parent_head: Uint8Array.of(1, 2),
      relay_parent_number: 5,
      relay_parent_storage_root: h(9),
      max_pov_size: 5 * 1024 * 1024,
    };
    const pjs = registry.createType('PersistedValidationData', PersistedValidationDataCodec.encode(pvd)); // @polkadot/types' own definition
    expect(hex(persistedValidationDataHash(pvd))).toBe(hex(pjs.hash));
    // ValidationCode::hash hashes the bytes, not their SCALE encoding.
    const code = registry.createType(
      pjsType('polkadot_parachain_primitives::primitives::ValidationCode'),
      '0x010203',
    );
    expect(hex(validationCodeHash(Uint8Array.of(1, 2, 3)))).not.toBe(hex(code.hash));
    expect(hex(validationCodeHash(Uint8Array.of(1, 2, 3)))).toBe(hex(registry.hash(Uint8Array.of(1, 2, 3))));
  });

  it('CompactStatement payload is b"BKNG" ++ variant ++ hash ++ SigningContext, and //Alice signs it', () => {
    const ch = h(0xab);
    const ctx = { session_index: 3, parent_hash: h(0xcd) };
    const seconded = compactStatementPayload('Seconded', ch, ctx);
    expect(hex(seconded)).toBe(`0x424b4e4701${'ab'.repeat(32)}03000000${'cd'.repeat(32)}`);
    expect(compactStatementPayload('Valid', ch, ctx)[4]).toBe(2);
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const sig = alice.sign(seconded);
    expect(
      sr25519Verify(sig, attestationPayload({ type: 'Implicit', value: sig }, ch, ctx), alice.publicKey),
    ).toBe(true);
    expect(
      sr25519Verify(sig, attestationPayload({ type: 'Explicit', value: sig }, ch, ctx), alice.publicKey),
    ).toBe(false);
  });

  it('collator signature payload is 132 bytes in polkadot-sdk order', () => {
    const p = collatorSignaturePayload({
      relay_parent: h(1),
      para_id: 5,
      persisted_validation_data_hash: h(2),
      pov_hash: h(3),
      validation_code_hash: h(4),
    });
    expect(hex(p)).toBe(`0x${'01'.repeat(32)}05000000${'02'.repeat(32)}${'03'.repeat(32)}${'04'.repeat(32)}`);
  });
});

describe('hostile input', () => {
  it('truncated or trailing bytes are ScaleDecodeErrors', () => {
    const bytes = CommittedCandidateReceiptCodec.encode(sampleCandidate());
    expect(() => CommittedCandidateReceiptCodec.decode(bytes.subarray(0, bytes.length - 1))).toThrow(
      ScaleDecodeError,
    );
    expect(() => CommittedCandidateReceiptCodec.decode(Uint8Array.of(...bytes, 0))).toThrow(ScaleDecodeError);
  });

  it('more upward messages than MAX_UPWARD_MESSAGE_NUM are refused both ways', () => {
    const many = Array.from({ length: MAX_UPWARD_MESSAGE_NUM + 1 }, () => new Uint8Array(0));
    expect(() => CandidateCommitmentsCodec.encode({ ...sampleCommitments(), upward_messages: many })).toThrow(
      ScaleEncodeError,
    );
    // A length prefix of 16385 items followed by that many empty messages.
    const w = [...registry.createType('Compact<u32>', many.length).toU8a(), ...new Uint8Array(many.length)];
    expect(() =>
      CandidateCommitmentsCodec.decode(Uint8Array.from([...w, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
    ).toThrow(ScaleDecodeError);
  });

  it('a bit vector longer than its bytes, a bad attestation variant, a huge vector length', () => {
    expect(() =>
      BackedCandidateCodec.decode(
        Uint8Array.of(...CommittedCandidateReceiptCodec.encode(sampleCandidate()), 0, 0xfe, 0xff, 0x03, 0x00),
      ),
    ).toThrow(ScaleDecodeError);
    expect(() => ValidityAttestationCodec.decode(Uint8Array.of(0, ...new Uint8Array(64)))).toThrow(
      ScaleDecodeError,
    );
    expect(() => ParachainsInherentDataCodec.decode(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f))).toThrow(
      ScaleDecodeError,
    );
  });
});
