import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { Gateway } from '../../src/gateway/index.ts';
import { startHelia } from './helpers.ts';

const MiB = 1024 * 1024;
const dir = await mkdtemp('/dev/shm/xs-mem-');
const bs = new FsBlockstore(join(dir, 'b'));
await bs.open();
const helia = await startHelia({ blockstore: bs });
const gw = new Gateway({ helia: helia as never, auth: { required: false } });
const { url } = await gw.start();
const base = Buffer.alloc(MiB, 7);
function piece(i: number) {
  const out = Buffer.from(base);
  for (let off = 0; off < out.length; off += 262144)
    out.writeUInt32LE((Math.imul(i, 2654435761) + off) >>> 0, off);
  return out;
}
async function up(n: number) {
  const before = process.memoryUsage();
  let peak = before.rss,
    peakExt = before.external + before.arrayBuffers,
    peakHeap = before.heapUsed;
  const s = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakExt = Math.max(peakExt, m.arrayBuffers);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = request(`${url}/api/v0/add?pin=false`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\n');
    let i = 0;
    const pump = () => {
      while (i < n) {
        if (!req.write(piece(i++))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end('\r\n--b--\r\n');
    };
    pump();
  });
  clearInterval(s);
  console.log(
    n,
    'MiB',
    ((performance.now() - t) / 1000).toFixed(1),
    's; rss +',
    ((peak - before.rss) / MiB).toFixed(0),
    'arrayBuffers peak',
    (peakExt / MiB).toFixed(0),
    'heap peak',
    (peakHeap / MiB).toFixed(0),
  );
}
await up(128);
(globalThis as any).gc?.();
await up(256);
(globalThis as any).gc?.();
await up(512);
await gw.stop();
await helia.stop();
