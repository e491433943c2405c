import { once } from 'node:events';
import WebSocket from 'ws';

/** A raw WS client that collects every frame it receives. */
export class RawWs {
  readonly messages: any[] = [];
  readonly #waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(d.toString()));
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<RawWs> {
    const ws = new WebSocket(url);
    const c = new RawWs(ws);
    await once(ws, 'open');
    return c;
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  /** Waits until a message matching `pred` arrived (and removes it from the inbox). */
  async next(pred: (m: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex(pred);
      if (i >= 0) return this.messages.splice(i, 1)[0];
      if (Date.now() > deadline)
        throw new Error(`timed out; inbox: ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async call(
    method: string,
    params: unknown = [],
    id: number | string = Math.floor(Math.random() * 1e9),
  ): Promise<any> {
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.next((m) => m.id === id);
  }

  close(): void {
    this.ws.close();
  }
}

export async function httpPost(
  url: string,
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
