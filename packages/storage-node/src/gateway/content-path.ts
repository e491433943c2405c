/**
 * Content paths: `/ipfs/<cid>[/seg...]` on the gateway and `arg=<cid>[/seg...]` or `arg=/ipfs/<cid>[/seg...]`
 * on the Kubo RPC. One parser so both answer the same way to the same mistakes.
 */
import { bases } from 'multiformats/basics';
import { CID } from 'multiformats/cid';
import { InvalidCidError, InvalidPathError, truncate } from './errors.ts';

export interface ContentPath {
  cid: CID;
  /** Decoded path segments after the CID (no empty ones). */
  segments: string[];
  /** The request path ended with `/` (matters for directory redirects). */
  trailingSlash: boolean;
}

// Any multibase a CIDv1 may come in (base32, base36, base58btc, base64, ...).
const anyBase = Object.values(bases)
  .map((b) => b.decoder as { decode(text: string): Uint8Array; or(other: unknown): unknown })
  .reduce((a, b) => a.or(b) as typeof a);

/** Longest CID string we try to parse; real ones are < 200 chars. */
const MAX_CID_LENGTH = 512;

export function parseCid(text: string): CID {
  if (text.length === 0 || text.length > MAX_CID_LENGTH) throw new InvalidCidError(text);
  try {
    // CIDv0 is bare base58btc (`Qm…`); everything else carries a multibase prefix.
    return text.length === 46 && text.startsWith('Qm') ? CID.parse(text) : CID.decode(anyBase.decode(text));
  } catch (err) {
    throw new InvalidCidError(text, err);
  }
}

/** `rest` is everything after the namespace, e.g. `bafy…/dir/file.txt`, still percent-encoded. */
export function parseContentPath(rest: string): ContentPath {
  const parts = rest.split('/');
  const cidText = decodeSegment(parts[0] ?? '');
  const cid = parseCid(cidText);
  const trailingSlash = parts.length > 1 && parts[parts.length - 1] === '';
  const segments: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw === '') {
      if (i === parts.length - 1) break;
      continue;
    }
    const seg = decodeSegment(raw);
    if (seg === '.' || seg === '..' || seg.includes('/')) {
      throw new InvalidPathError(`invalid path segment "${truncate(seg)}"`);
    }
    segments.push(seg);
  }
  return { cid, segments, trailingSlash };
}

/** A Kubo `arg`: `<cid>[/path]`, `/ipfs/<cid>[/path]`. Not percent-encoded (it came from the query string). */
export function parseKuboPathArg(arg: string | null | undefined, argName = 'ipfs-path'): ContentPath {
  if (arg === null || arg === undefined || arg === '') {
    throw new InvalidPathError(`argument "${argName}" is required`);
  }
  let rest = arg;
  if (rest.startsWith('/ipfs/')) rest = rest.slice('/ipfs/'.length);
  else if (rest.startsWith('/'))
    throw new InvalidPathError(`invalid path "${truncate(arg)}": unsupported namespace`);
  return parseContentPath(rest.split('/').map(encodeURIComponent).join('/'));
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidPathError(`invalid percent-encoding in path segment "${truncate(raw)}"`);
  }
}
