/**
 * Content-Type for deserialized UnixFS files: from the file name's extension first (what Kubo's gateway does
 * with `mime.TypeByExtension`), then from the first bytes (a subset of the WHATWG MIME sniffing table that
 * Go's `http.DetectContentType` implements), falling back to `application/octet-stream`.
 */

const BY_EXTENSION: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  wasm: 'application/wasm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  woff: 'font/woff',
  woff2: 'font/woff2',
  car: 'application/vnd.ipld.car',
};

export const OCTET_STREAM = 'application/octet-stream';

export function contentTypeFromName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot === name.length - 1) return undefined;
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

interface Signature {
  bytes: number[];
  /** Bytes where the pattern must match; undefined = every bit. */
  mask?: number[];
  offset?: number;
  type: string;
}

const SIGNATURES: Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: 'image/png' },
  { bytes: [0xff, 0xd8, 0xff], type: 'image/jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], type: 'image/gif' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], type: 'application/pdf' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], type: 'application/zip' },
  { bytes: [0x1f, 0x8b, 0x08], type: 'application/x-gzip' },
  { bytes: [0x00, 0x61, 0x73, 0x6d], type: 'application/wasm' },
  { bytes: [0x49, 0x44, 0x33], type: 'audio/mpeg' },
  { bytes: [0x4f, 0x67, 0x67, 0x53, 0x00], type: 'application/ogg' },
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], type: 'video/webm' },
  { bytes: [0x66, 0x74, 0x79, 0x70], offset: 4, type: 'video/mp4' },
];

/** Sniffs a type from the first bytes of content (at most 512 are looked at). */
export function sniffContentType(head: Uint8Array): string {
  const sample = head.subarray(0, 512);
  for (const sig of SIGNATURES) {
    const off = sig.offset ?? 0;
    if (sample.length < off + sig.bytes.length) continue;
    if (sig.bytes.every((b, i) => sample[off + i] === b)) return sig.type;
  }
  if (sample.length >= 12 && ascii(sample, 0, 4) === 'RIFF' && ascii(sample, 8, 12) === 'WEBP')
    return 'image/webp';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<head')) {
    return 'text/html; charset=utf-8';
  }
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'image/svg+xml';
  if (text.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  return looksLikeText(sample) ? 'text/plain; charset=utf-8' : OCTET_STREAM;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** No control bytes other than whitespace, and valid UTF-8 (allowing a multi-byte char cut at the end). */
function looksLikeText(b: Uint8Array): boolean {
  for (const c of b) {
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) return false;
  }
  for (let cut = 0; cut < 4 && cut <= b.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, b.length - cut));
      return true;
    } catch {
      // try again without a possibly truncated trailing character
    }
  }
  return false;
}
