/** Small helpers for the SCALE tests. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** `"01 ff"`, `"0x01ff"` or `"01ff"` to bytes. */
export function unhex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/^0x/, '').replace(/\s+/g, ''), 'hex'));
}
