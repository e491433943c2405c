/**
 * The bytes a worker key signs. Crust's swork tests carry work reports signed by real sWorker enclaves (p256, keys and
 * signatures as 32-byte little-endian halves, see cstrml/swork/src/utils.rs `verify_p256_sig`); our payload must be
 * exactly what those signatures cover, or a storage node's report would never verify the way sWorker's did.
 * Vectors: crustio/crust cstrml/swork/src/mock.rs `legal_work_report`, `legal_work_report_with_added_files`,
 * `legal_work_report_with_deleted_files`, `continuous_ab_upgrade_work_report`.
 */
import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { describe, expect, it } from 'vitest';
import {
  buildWorkReport,
  decimalBytes,
  EMPTY_ROOT,
  encodeFiles,
  filesRoot,
  srdRoot,
  WorkReportBuildError,
  workReportPayload,
} from '../../../src/pallets/swork/index.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const te = new TextEncoder();

/** utils.rs verify_p256_sig: reverse both 32-byte halves of key and signature, key prefixed 0x04, SHA-256 ECDSA. */
function crustP256Verify(pk: Uint8Array, data: Uint8Array, sig: Uint8Array): boolean {
  const rev = (b: Uint8Array) => new Uint8Array([...b.slice(0, 32).reverse(), ...b.slice(32).reverse()]);
  return p256.verify(rev(sig), data, new Uint8Array([4, ...rev(pk)]), { prehash: true, lowS: false });
}

const PK_A = h(
  '5c7351b8a5098235505c66b4ba42269cb58a1fbf410906235204406a6080d9640d406a8a26d25efd3988250f80cf3dd5b6c22a70d964d08f03a8e618e51b4812',
);
const base = {
  abUpgradePk: new Uint8Array(0),
  slot: 300,
  slotHash: new Uint8Array(32),
  reportedSrdSize: 4294967296n,
  reportedSrdRoot: h('00'),
  reportedFilesRoot: h('11'),
  addedFiles: [],
  deletedFiles: [],
};

describe('workReportPayload', () => {
  it('is what a real sWorker signed: legal_work_report', () => {
    const payload = workReportPayload({ ...base, currPk: PK_A, reportedFilesSize: 2 });
    const sig = h(
      'ba7a02712bdde25048624787e4a21882964e5fc911cfe394bff1ff9964434531e33d62b2fe9c3b0bba68b9d110da490178474d073a299968c7e2eb2ca5a0b754',
    );
    expect(crustP256Verify(PK_A, payload, sig)).toBe(true);
    // One digit different in any field and the signature no longer covers it.
    expect(
      crustP256Verify(PK_A, workReportPayload({ ...base, currPk: PK_A, reportedFilesSize: 3 }), sig),
    ).toBe(false);
    expect(
      crustP256Verify(
        PK_A,
        workReportPayload({ ...base, currPk: PK_A, reportedFilesSize: 2, slot: 600 }),
        sig,
      ),
    ).toBe(false);
  });

  it('is what a real sWorker signed: added files', () => {
    const pk = h(
      '7137dc62f9a8ba82fae62f5306981b7b39a82ff0e730739c9d8998eec0ab37f02e734e65fc518df5e6263d657faac48242ec1972b5dca058d9b78a6844c7a19c',
    );
    const payload = workReportPayload({
      ...base,
      currPk: pk,
      reportedFilesSize: 402868224n,
      addedFiles: [
        { cid: 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF', size: 134289408, validAt: 303 },
        { cid: 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oH', size: 268578816, validAt: 303 },
      ],
    });
    const sig = h(
      'd254eb42c15384b8019d676b1cf83c11a6cf0121c47381cabfea44844421cc231e244f83c2c4af3140880c534b672196b147e8b63708c871cc87f1230dbca12f',
    );
    expect(crustP256Verify(pk, payload, sig)).toBe(true);
  });

  it('is what a real sWorker signed: deleted files', () => {
    const pk = h(
      '259638261947a43f175285d1bd05a5a5d52db05518e6c07af58e763fd85c3a6ee0adbd3079e46534201189eb33c7f4cfc70046c18d5e79b78808857da5223e8f',
    );
    const payload = workReportPayload({
      ...base,
      currPk: pk,
      reportedFilesSize: 0,
      deletedFiles: ['I', 'J', 'K'].map((c) => ({
        cid: `QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3o${c}`,
        size: 1,
        validAt: 303,
      })),
    });
    const sig = h(
      '018fa065d97d46e7576d727993e224dc3859a18220c9d542c7cf44ddfc3f289f83f9d13883db7e0a0d664bc953ffcab9558c2ae65d90466690ce9a3f735b0417',
    );
    expect(crustP256Verify(pk, payload, sig)).toBe(true);
  });

  it('is what a real sWorker signed: an A/B upgrade report with the previous key', () => {
    const pk = h(
      '09a6f382dac3549cba71b27f7c56328e9dc72d3c8ee15601e4d2418c4f04b2008bc3a71b617c684ec35b24a714fbd550908f67ac2d61a841bbd2f79cc8c74bd1',
    );
    const payload = workReportPayload({
      ...base,
      currPk: pk,
      abUpgradePk: PK_A,
      slot: 900,
      reportedFilesSize: 32,
      addedFiles: [[te.encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oC'), 37n, 903n]],
      deletedFiles: [[te.encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oB'), 7n, 903n]],
    });
    const sig = h(
      'c5e5ce5a1632afc8c0fb22dc44cb1f25bfa44df8455d6836578c02ffa203480b0a61e465205c893d4cbdcefc9d0742019f075b5c62c7ae0fc580d7d47f3930f5',
    );
    expect(crustP256Verify(pk, payload, sig)).toBe(true);
  });
});

describe('encodeFiles and the roots', () => {
  it('serializes files as sWorker does (utils.rs encode_files)', () => {
    expect(new TextDecoder().decode(encodeFiles([]))).toBe('[]');
    expect(
      new TextDecoder().decode(
        encodeFiles([
          { cid: 'QmA', size: 0, validAt: 18446744073709551615n },
          { cid: 'QmB', size: 127, validAt: 1 },
        ]),
      ),
    ).toBe(
      '[{"cid":"QmA","size":0,"c_block_num":18446744073709551615},{"cid":"QmB","size":127,"c_block_num":1}]',
    );
    expect(decimalBytes(127)).toEqual(new Uint8Array([49, 50, 55]));
    expect(() => decimalBytes(1n << 64n)).toThrow(WorkReportBuildError);
    expect(() => decimalBytes(-1)).toThrow(WorkReportBuildError);
  });

  it('files root: sha256 over sha256(cid ‖ decimal size) of each held file in CID byte order (Report.cpp)', () => {
    const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
    const expected = sha(Buffer.concat([sha('QmA10'), sha('QmB7'), sha('Qmb1')]));
    const files = [
      { cid: 'Qmb', size: 1 },
      { cid: 'QmA', size: 10 },
      { cid: te.encode('QmB'), size: 7n },
    ];
    expect(Buffer.from(filesRoot(files))).toEqual(expected);
    expect(filesRoot([])).toEqual(EMPTY_ROOT);
    const hashes = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    expect(Buffer.from(srdRoot(hashes))).toEqual(sha(Buffer.concat(hashes)));
    expect(srdRoot([])).toEqual(EMPTY_ROOT);
  });
});

describe('buildWorkReport', () => {
  const pk = new Uint8Array(32).fill(9);
  const hash = new Uint8Array(32).fill(3);

  it('gives the call arguments and the payload they sign', () => {
    const built = buildWorkReport({
      currPk: pk,
      slot: 600,
      slotHash: hash,
      files: [
        { cid: 'QmA', size: 10 },
        { cid: 'QmB', size: 5 },
      ],
      added: [{ cid: 'QmB', size: 5, validAt: 599 }],
      deleted: [{ cid: 'QmC', size: 1, validAt: 2 }],
      srd: { hashes: [new Uint8Array(32), new Uint8Array(32)] },
    });
    expect(built.args).toMatchObject({
      curr_pk: pk,
      ab_upgrade_pk: new Uint8Array(0),
      slot: 600n,
      slot_hash: hash,
      reported_srd_size: 2n << 30n,
      reported_files_size: 15n,
      added_files: [[te.encode('QmB'), 5n, 599n]],
      deleted_files: [[te.encode('QmC'), 1n, 2n]],
      sig: new Uint8Array(0),
    });
    expect(built.payload).toEqual(
      workReportPayload({
        currPk: pk,
        abUpgradePk: new Uint8Array(0),
        slot: 600,
        slotHash: hash,
        reportedSrdSize: 2n << 30n,
        reportedFilesSize: 15,
        reportedSrdRoot: built.args.reported_srd_root,
        reportedFilesRoot: filesRoot([
          { cid: 'QmB', size: 5 },
          { cid: 'QmA', size: 10 },
        ]),
        addedFiles: [{ cid: 'QmB', size: 5, validAt: 599 }],
        deletedFiles: [{ cid: 'QmC', size: 1, validAt: 2 }],
      }),
    );
  });

  it('refuses what the chain would refuse', () => {
    const many = Array.from({ length: 301 }, (_, i) => ({ cid: `Qm${i}`, size: 1, validAt: 1 }));
    const input = { currPk: pk, slot: 600, slotHash: hash };
    expect(() => buildWorkReport({ ...input, files: many, added: many })).toThrow(/at most 300/);
    expect(() =>
      buildWorkReport({ ...input, files: [], added: [{ cid: 'QmA', size: 1, validAt: 1 }] }),
    ).toThrow(/not among the held/);
    expect(() =>
      buildWorkReport({
        ...input,
        files: [{ cid: 'QmA', size: 1 }],
        deleted: [{ cid: 'QmA', size: 1, validAt: 1 }],
      }),
    ).toThrow(/still among/);
    expect(() =>
      buildWorkReport({
        ...input,
        abUpgradePk: pk,
        files: [{ cid: 'QmA', size: 1 }],
        added: [{ cid: 'QmA', size: 1, validAt: 1 }],
      }),
    ).toThrow(WorkReportBuildError);
  });
});
