/**
 * Trie roots, node encodings and proofs checked against vectors published by other implementations.
 * Each vector names its source; the bytes are copied, not produced by this code.
 */

import { hexToU8a, u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/hashing.ts';
import { readCompactNumber } from '../../src/scale/compact.ts';
import { toHex } from '../../src/trie/nibbles.ts';
import { TrieProofError, verifyProof } from '../../src/trie/node-reader.ts';
import { orderedTrieRoot, trieRoot } from '../../src/trie/root.ts';
import { EMPTY_TRIE_ROOT, Trie } from '../../src/trie/trie.ts';

const text = (s: string) => new TextEncoder().encode(s);
const entries = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => [text(k), text(v)] as [Uint8Array, Uint8Array]);

/** A proof as smoldot/Substrate ship it: SCALE Vec<Vec<u8>>. */
function decodeProofVec(bytes: Uint8Array): Uint8Array[] {
  let [n, o] = readCompactNumber(bytes, 0);
  const out: Uint8Array[] = [];
  while (n-- > 0) {
    const [len, next] = readCompactNumber(bytes, o);
    out.push(bytes.slice(next, next + len));
    o = next + len;
  }
  expect(o).toBe(bytes.length);
  return out;
}

/** Encoded root node of a trie: the single node a one-level trie consists of. */
function rootNodeEncoding(pairs: Array<[Uint8Array, Uint8Array]>, version: 0 | 1): string {
  const t = Trie.fromEntries(pairs, version);
  const proof = t.proof([pairs[0][0]]);
  return proof.length === 0 ? '' : u8aToHex(proof[0]);
}

beforeAll(async () => {
  await initCrypto();
});

describe('trie roots from outside sources', () => {
  it('empty trie root is blake2_256([0x00]) (Polkadot spec; smoldot trie_root_empty)', () => {
    expect(toHex(EMPTY_TRIE_ROOT)).toBe('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314');
    expect(toHex(trieRoot([], 0))).toBe(toHex(EMPTY_TRIE_ROOT));
    expect(toHex(trieRoot([], 1))).toBe(toHex(EMPTY_TRIE_ROOT));
    expect(toHex(new Trie({ version: 1 }).root())).toBe(toHex(EMPTY_TRIE_ROOT));
  });

  it('encodes nodes exactly as sp-trie codec_trie_single_tuple / codec_trie_two_tuples_disjoint_keys', () => {
    // substrate/primitives/trie/src/lib.rs tests (LayoutV1): leaf 0x42 aa, compact(1), bb.
    expect(rootNodeEncoding([[hexToU8a('0xaa'), hexToU8a('0xbb')]], 1)).toBe('0x42aa04bb');
    // branch 0x80, bitmap 0x12 0x00, two inline leaves of 5 bytes (compact 0x14): 43 03 14 04 ff / 43 08 19 04 fe.
    expect(
      rootNodeEncoding(
        [
          [hexToU8a('0x4819'), hexToU8a('0xfe')],
          [hexToU8a('0x1314'), hexToU8a('0xff')],
        ],
        0,
      ),
    ).toBe('0x8012001443031404ff1443081904fe');
  });

  it('matches sp-state-machine commit_should_work / overlayed_storage_root_works roots', () => {
    // substrate/primitives/state-machine/src/basic.rs `commit_should_work`.
    const base = entries([
      ['doe', 'reindeer'],
      ['dog', 'puppy'],
      ['dogglesworth', 'cat'],
    ]);
    for (const v of [0, 1] as const) {
      expect(toHex(trieRoot(base, v))).toBe(
        '0x39245109cef3758c2eed2ccba8d9b370a917850af3824bc8348d505df2c298fa',
      );
    }
    // overlayed_changes `overlayed_storage_root_works` second root (after doug2 = yes), as ported by gossamer.
    expect(toHex(trieRoot([...base, ...entries([['doug2', 'yes']])], 1))).toBe(
      '0x5c0a4e35cb967de785e1cb8743e6f24b6ff6d45155317f2078f6eb3fc4ff3e3d',
    );
  });

  it('matches smoldot trie_root examples (lib/src/trie.rs, calculate_root.rs)', () => {
    expect(
      toHex(
        trieRoot(
          entries([
            ['foo', 'bar'],
            ['foobar', 'baz'],
          ]),
          0,
        ),
      ),
    ).toBe('0xa61820b5fba9b01aee10b5bbd84aea80b8230318c5e8ca14b9a4940c76e09815');
    expect(
      toHex(
        trieRoot(
          entries([
            ['bar', 'foo'],
            ['barfoo', 'hello'],
            ['anotheritem', 'anothervalue'],
          ]),
          1,
        ),
      ),
    ).toBe('0x441807c345ca7adf88bd21ab1b3cbadb15616abb89167eb9fe285dd5cecd04c8');
    for (const v of [0, 1] as const) {
      expect(toHex(trieRoot(entries([['abcd', 'hello world']]), v))).toBe(
        '0x7ab18659d3b2789ef2400d107104c7d4fb93d06d9ab6a8b641a5de7c3fecc851',
      );
    }
  });

  it('orderedTrieRoot of no extrinsics is the empty root; keys are SCALE compact indices', () => {
    expect(toHex(orderedTrieRoot([], 0))).toBe(toHex(EMPTY_TRIE_ROOT));
    const items = [text('a'), text('b'), text('c')];
    expect(orderedTrieRoot(items, 1)).toEqual(
      trieRoot(
        items.map((x, i) => [new Uint8Array([i << 2]), x] as [Uint8Array, Uint8Array]),
        1,
      ),
    );
  });
});

// smoldot lib/src/trie/proof_decode/tests.rs EXAMPLE_PROOF: "Key/value taken from the Polkadot genesis block".
const POLKADOT_GENESIS_PROOF = hexToU8a(
  '0x' +
    '18d47d01542596adb05d6140c170ac479edf7cfd5aa35357590acfe5d11a804d944e500d1456fdda7b8ec7f9e5c794cd8319' +
    '4f0593e4ea3505803f93804e4c6c4222b747e507008ef1def063bb0d2deeadf17ef4b10e71624d3a0cf81c80241f2c06f22e' +
    'c58968fb68d432319e25e6c8faa3ad2c5ca9ee48f2e8ed158e2480ad8a68234932269846bc40240a47cfd8d8857b1d81e167' +
    'bfb24c947a4cdad9e680c84590e39f8b79a2694ad2bf7e7258af686b472f38b064bbce7d08404931a430805c72f25b1b6304' +
    'd16667e2766fa1a906cb081788eb4502787df7c3597412b17b806e21c5f1a24a196615b4e5b36d21280cdcc80098c1e2bce8' +
    'eeaf301e9951767480424f1acd80ba074a2ce8d180bf3488a5ca91cb81fba96c8c3c1d33eacbb18160805e849d5c148ca361' +
    'a55a2c9b384e17ce919e936ccb8011a4f72504e9f93db8cd80edd005a1495c70250d77f81c24c15a9919f034f7983df8e505' +
    'e53a5af7b402138012a0dd90497b65312bda67ea15996578eeb3891bca8666951a326612418e3143b10480555d8043fb497c' +
    '1b2a7b9e4feb59f410c1a29e28b2a628ff9c6003e080f6b9fadd95f9806e8d911b6818038eb7c8534af8e78e9920a1ab8d93' +
    '9c36d3e69b0a1e5928110b80ba4d3f543957f422b40c8e74af9de00acbeba8154afca57a7f80fbbcfebb1e4a803d1b8f5cf1' +
    '788b294537b8fd2d34acec4646a7627c6cd3d2039af64ff5d1976d80e7620f21cf13964f29d34ba708c3b44ea45ea11c58fb' +
    'bedda29d13470bc80ca080f98aae4f83d81bf15d88019e5c303d7c19d0524e84c714e05f61517cde0b138280d518faf566fd' +
    'c4d045094abe372bb3bbecd4753f76db8c41ba9fc015558bf23a80908f991126d12ce7acd55508ff1e7dffa56f742401e181' +
    '4fc1469658a78c7a7f8001b0a08da0c83253d5c0cb877286c062da2f530ae424fe2545377941fd016913350580b3a780a29f' +
    'ac7f7dfae21d05d9506e7da6515b7fa1ad970ff876de35f1bec2599ec002805b6772dc6a4e7604c8d0652479f95b343607c2' +
    'd9138c59eeb799d85bf43b6bbf803d12becb6a4b9919ddc7c5973d04eed7696c834f90c779fc1fcf7350ccc28d6b805f33eb' +
    'cf191fddcf3b3f346ec336c105c74b40a4d35dfda0c592f2bea00084e980f764c733d6e35771a9b26a1fa86b9bec59742b04' +
    '6f698be6c140af1073897d3d80cd3bc8c3ce3cf8359f7371a13316f02fd22b02a3d327684a2b61f4a47e0022b880da752afa' +
    'eb925d5300e45b851052c5f8a9c5aae884f15d64764edf961b8b22c880bf1fa9c7e4c94340dbafd75cbe016c980d0e5d5b4e' +
    '76823fa11e61629014c34b804f54a15e5d51d02b84e8cae94c9833ae81e56b8f0b684d257f6f722ee66cadf98094833fb2dc' +
    'e8c78d443cd6786e0c01d8974a4b779c178ef5e66b49e021dd7f1ae1029f0c5d795d0297be56027a4b2464e33397609280f3' +
    '32ff556abf5daf0d34523df7c8cd1369bcb6adbb23a48093bf070a9711bf3480382934134aa919b59c16ff8de8d97a7fdcc2' +
    '448ea327b26f44005d756d1785878081d634140b36ce031c4b6c6266e2a7c19d9a88e38fdd8ad23abd3db20e714f6980fde1' +
    '7041f22f09609d79dbe38dcccefcaac139c7a10fb23bd284c1c492b004fd80d287ad1d0ade65e64d3969f4ab85a370768160' +
    '31438cea0bf8c33b7b2bc6c3308d089f03e6d3c1fb15805edfd024172ea4817dffff80152833e34a852e9751cfc0f954aeb8' +
    '35e1f843936ba9979853a40e439937255f806a36e0ad23fb3224fff6e6db62048463a7f27ccb92f65b4e348acd5a7aa3a068' +
    '8027b6e099c11581fb2e8acf3b6b94eaed442277b9a74ce7f922f6e3bf2959867b80fd0cc2c846db6a9ed19a715d6c3cd46a' +
    '48b7f409883c70b2d4c978b306de379e80ab008a78c340f5cc75d99cdb905951936686445c834719be21f7620b950dcd5c80' +
    '6d86af54d5dfb1c06f3fefdd5a430861c0d19e25fad4bad07c6e70d4a679f0b880f35edc5400b6661fb1e6fba7c599c8ba89' +
    '1458d14400030fa506999a1972369f80746cdaa0b7da2e9c3864971f50f12d9b4281f804d5a2dba6ebe06959b2a9fb47802e' +
    'cfde11456423c87fed8068f414a5ba44ebe3ae91b06d14cc231a78d4aba68e80f655291833a49cf23d057bb15c42d377c55d' +
    '50f5885329060b0aaab22283cbb1808c95fb2b62baf30718b8330ef68a527c97c1bc9960304353224d8a8ae88a79d58045c1' +
    'b6d9904ae171d573bdcebaa05142d81648bdbeb16ceeddc54a0ed15d3e2b80a8ea193282fe85b6481707091c77c9218ea19d' +
    'e914e75950925fe86400fb0cb080c222ceab5355eaa41da807146f2e2df7ff648c3e8bbb6d8ee23274ba724551b18008f142' +
    'dc3c59bf1151c829ecefea35919e80453db5e9669f5a73899aaa5166ee804f1d21fbdc0180c4de886bf40f91dfc2202b3eb6' +
    'd42548d476908041dd617bb8',
);
const POLKADOT_GENESIS_ROOT = hexToU8a('0x29d0d972cd27cbc511e9589fcb7a4506d5eb6a9e8df205f00472e5ab354a4e17');
const GENESIS_KEY =
  '0x9c5d795d0297be56027a4b2464e3339763e6d3c1fb15805edfd024172ea4817d7081542596adb05d6140c170ac479edf7cfd5aa35357590acfe5d11a804d944e';

// smoldot proof_decode tests `node_values_smaller_than_32bytes`.
const SMALL_VALUES_PROOF = hexToU8a(
  '0x' +
    '0c11019ec365c3cf59d671eb72da0e7a4113c40003585f078d434d6125b40443fe11fd292d13a41002000000685f0f1f0515' +
    'f462cdcf84e0f1d6045dfcbb2050527f2977010000b90580afbc800f7e8909bdcc1d75f47cc209b5d6776a5b375592657025' +
    '2e1f2a854865263c42801cba764c6a6fe8cc6a5834da71024c7784accad782c6b8e6ce862cab1956f37980e90a91325f6411' +
    'd5931c098e385f212838092703c14fa9cf73503dd9046aac98800cfff19df9db65218bb2ae79a521af00e8e6811759db1523' +
    '173012997c605142801eaec2e3649561ed17ee72b26a9eee30a65213d2817a46a55eba1f1c501d49fc801038139ebcb2c0ea' +
    '0cfbdd6b77f34a9b6f35246bb7ccaefdb7434dc72f79b9a28011d9e2c3f07190c981b8f0edcc4f44bfa51ddbaa9886a099f5' +
    '26b58353d1f5c28089d9035401e034c770d5962a33d667c2e1e0d25454351f9f52c9036876d46e0780f0fb51be7e503c8b58' +
    '982799e7b21fb8382c851f2f62ea6b0ff8404e2459099580e94bee78d495df8730aed3dbdfd914acd4ac03ea368237e13f11' +
    'ffd996fc5d0f805936fe63ca50321b5c3039ae08d32c3a6ccf81f58150aa398250a6fad6289cb5150180410080b6cc473d53' +
    '4c55a61316d4f2ece5335810bfe37dd936071f24b0d36f48dcb5f18095020c1a5f09c173cffd5ada00298c77bda665f44aab' +
    '35f852714f6e19483e41',
);

describe('proofs from outside sources', () => {
  it('verifies the Polkadot genesis proof: present key, absent key, incomplete path', () => {
    const proof = decodeProofVec(POLKADOT_GENESIS_PROOF);
    const present = hexToU8a(GENESIS_KEY);
    const absent = hexToU8a(`${GENESIS_KEY}25`);
    const got = verifyProof(POLKADOT_GENESIS_ROOT, proof, [present, absent], 0);
    expect(u8aToHex(got.get(present))).toBe('0x0d1456fdda7b8ec7f9e5c794cd83194f0593e4ea');
    expect(got.has(absent)).toBe(true);
    expect(got.get(absent)).toBeUndefined();
    // A sibling path the proof does not cover must not be reported as absent.
    expect(() =>
      verifyProof(POLKADOT_GENESIS_ROOT, proof, [
        hexToU8a('0x9c5d795d0297be56027a4b2464e3339763e6d3c1fb15805edfd024172ea4817d7000'),
      ]),
    ).toThrow(TrieProofError);
    expect(() => verifyProof(new Uint8Array(32), proof, [present])).toThrow(TrieProofError);
  });

  it('verifies smoldot node_values_smaller_than_32bytes', () => {
    const proof = decodeProofVec(SMALL_VALUES_PROOF);
    const key = hexToU8a('0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb');
    const root = hexToU8a('0x2b64c6ae01421a5f5d772bf205b09986c14a9fd7860ffc874381151014d361d9');
    expect(verifyProof(root, proof, [key]).get(key)).toEqual(new Uint8Array([80, 82, 127, 41, 119, 1, 0, 0]));
  });
});
