/**
 * Hex parameters the way Substrate's serde reads `Bytes` (impl-serde `from_hex`) and rpc-spec-v2 its hex strings:
 * the `0x` prefix is optional and `""` is empty bytes (polkadot-api's legacy translation calls `state_call` with
 * `""`, and the new spec's `callParameters` may be `""`). Odd lengths and non-hex characters are refused.
 */
import { ParamDecodeError, type ParamDecoder } from '../rpc/index.ts';

const HEX_BODY = /^(?:[0-9a-fA-F]{2})*$/;

export function hexOrEmpty(opts: { maxBytes?: number } = {}): ParamDecoder<Uint8Array> {
  const expected = `hex bytes ("0x…", "" for none)${opts.maxBytes !== undefined ? ` of at most ${opts.maxBytes} bytes` : ''}`;
  return {
    expected,
    optional: false,
    decode(v: unknown): Uint8Array {
      if (typeof v !== 'string') throw new ParamDecodeError(`expected ${expected}, got ${describe(v)}`);
      const body = v.startsWith('0x') || v.startsWith('0X') ? v.slice(2) : v;
      if (!HEX_BODY.test(body)) throw new ParamDecodeError(`expected ${expected}, got ${describe(v)}`);
      if (opts.maxBytes !== undefined && body.length / 2 > opts.maxBytes) {
        throw new ParamDecodeError(`expected ${expected}, got ${body.length / 2} bytes`);
      }
      return new Uint8Array(Buffer.from(body, 'hex'));
    },
  };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `string "${v.slice(0, 40)}…"` : `string "${v}"`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
