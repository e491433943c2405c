/**
 * The hostile-client kit: what an attacker on the network sends, as small reusable pieces. See README.md here.
 */

/** `open` repeated `depth` times around `leaf`, closed again: `[[[…0…]]]` by default. */
export function deepJson(depth: number, open = '[', close = ']', leaf = '0'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

/** The 10 KB request that killed the node in issue 14: a `"jsonrpc"` member nested `depth` deep. */
export function deepRequest(depth = 5000, method = 'system_health'): string {
  return `{"jsonrpc":${deepJson(depth, '[', ']', '')},"id":1,"method":${JSON.stringify(method)}}`;
}

export type HostileMultipartKind = 'traversal' | 'too-many-parts' | 'bad-escape';

/**
 * A Kubo `/api/v0/add` body whose first file part is parsed (and queued) in the same read as a later part that
 * fails: a `../evil` path (234 bytes with the request line in issue 14), more parts than the parser allows
 * (100,000: busboy's `parts` limit as the gateway sets it), or a filename with a broken %-escape.
 */
export function hostileMultipart(
  kind: HostileMultipartKind,
  boundary = 'b',
): { body: Buffer; contentType: string } {
  const file = (name: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${content}\r\n`;
  let text = file('a', 'x');
  if (kind === 'traversal') text += file('../evil', 'y');
  else if (kind === 'bad-escape') text += file('%zz', 'y');
  else {
    const field = `--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n\r\n`;
    text += field.repeat(100_001);
  }
  text += `--${boundary}--\r\n`;
  return { body: Buffer.from(text), contentType: `multipart/form-data; boundary=${boundary}` };
}
