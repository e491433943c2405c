/**
 * The dashboard page: follows every chain of the devnet over its own WebSocket RPC (@polkadot/api through the
 * SDK), and shows the chains' blocks, the HRMP channels with messages in flight, every storage order as one row that
 * follows it across chains (user's chain → relay → Crust → back home → replicas), the storage nodes, and a page per
 * CID (`#/cid/<cid>`). Rows carry `data-cid`, `data-stage` and `data-replicas` for scripts and tests.
 */
import type { ApiPromise } from '@polkadot/api';
import {
  ChainConnections,
  DEVNET,
  type Endpoints,
  eventsAt,
  type FileStatus,
  fileStatus,
  followBlocks,
  formatAmount,
} from '@xstorage/sdk';

// The repository's tsconfig has no DOM library (everything else runs on Node); the few browser globals used here.
declare const document: { querySelector(sel: string): any };
declare const window: { addEventListener(type: string, fn: () => void): void };
declare const location: { hash: string };
declare function requestAnimationFrame(fn: () => void): number;

/** Blocks of history each chain is read back at load (orders placed before the page opened). */
const HISTORY = 120;
const TARGET_REPLICAS = 4;

interface ChainView {
  id: string;
  name: string;
  paraId?: number;
  token: string;
  ws: string;
  best?: number;
  finalized?: number;
  error?: string;
}

interface OrderRow {
  key: string;
  cid: string;
  size?: bigint;
  from: string;
  route: 'pallet' | 'polkadotXcm' | 'crust';
  who?: string;
  paraBlock?: number;
  messageId?: string;
  orderId?: string;
  relayBlock?: number;
  crustBlock?: number;
  confirmedBlock?: number;
  failed?: string;
  file?: FileStatus;
  seen: number;
}

const $ = (sel: string): any => document.querySelector(sel);
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (s: string, n = 8) => (s.length > 2 * n + 1 ? `${s.slice(0, n)}…${s.slice(-4)}` : s);

const state = {
  chains: new Map<string, ChainView>(),
  hrmp: [] as Array<{ from: string; to: string; count: number; bytes: number; capacity: number }>,
  rows: new Map<string, OrderRow>(),
  nodes: [] as any[],
};

let dirty = false;
function changed(): void {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(() => {
    dirty = false;
    render();
  });
}

let conns: ChainConnections;
let endpoints: Endpoints;
const paraName = new Map<number, string>();

function rowByMessage(id: string | undefined): OrderRow | undefined {
  return id ? state.rows.get(id) : undefined;
}
function rowsByCid(cid: string): OrderRow[] {
  return [...state.rows.values()].filter((r) => r.cid === cid);
}
function addRow(r: Omit<OrderRow, 'seen'>): OrderRow {
  const existing = state.rows.get(r.key);
  if (existing) return existing;
  const row = { ...r, seen: Date.now() };
  state.rows.set(r.key, row);
  changed();
  return row;
}

// ---- chains ---------------------------------------------------------------------------------------------------

async function followChain(id: string, onBlock: (api: ApiPromise, n: number, hash: string) => Promise<void>) {
  const view = state.chains.get(id)!;
  try {
    const api = await conns.api(id);
    await api.rpc.chain.subscribeNewHeads((h: any) => {
      view.best = h.number.toNumber();
      changed();
    });
    await api.rpc.chain.subscribeFinalizedHeads((h: any) => {
      view.finalized = h.number.toNumber();
      changed();
    });
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for await (const b of followBlocks(api, Math.max(1, best - HISTORY))) {
      try {
        await onBlock(api, b.number, b.hash);
      } catch (err) {
        console.warn(id, b.number, err);
      }
    }
  } catch (err) {
    view.error = (err as Error).message;
    changed();
  }
}

/** `(127u8, 0u8, cid, size)`: Crust's place_storage_order_through_parachain inside a Transact. */
function orderInMessage(api: ApiPromise, message: any): { cid: string; size: bigint } | undefined {
  const m = /"encoded":"(0x7f00[0-9a-f]*)"/i.exec(JSON.stringify(message.toJSON()));
  if (!m) return undefined;
  const t = api.createType('(u8, u8, Bytes, u64)', m[1]) as any;
  return { cid: t[2].toUtf8(), size: t[3].toBigInt() };
}

async function onParaBlock(chain: string, api: ApiPromise, n: number, hash: string): Promise<void> {
  for (const { event: e } of await eventsAt(api, hash)) {
    if (e.section === 'xstorage' && e.method === 'OrderPlaced') {
      const messageId = e.data.messageId.toHex();
      addRow({
        key: messageId,
        cid: e.data.cid.toUtf8(),
        size: e.data[3].toBigInt(),
        from: chain,
        route: 'pallet',
        who: e.data.who.toString(),
        paraBlock: n,
        messageId,
        orderId: e.data.orderId.toHex(),
      });
    } else if (e.section === 'polkadotXcm' && e.method === 'Sent') {
      const order = orderInMessage(api, e.data.message);
      if (!order || state.rows.has(e.data.messageId.toHex())) continue;
      addRow({
        key: e.data.messageId.toHex(),
        ...order,
        from: chain,
        route: 'polkadotXcm',
        who: JSON.stringify(e.data.origin.toJSON()).match(/"(?:id|key)":"(0x[0-9a-f]+)"/i)?.[1],
        paraBlock: n,
        messageId: e.data.messageId.toHex(),
      });
    } else if (
      e.section === 'xstorage' &&
      ['OrderConfirmed', 'OrderFailed', 'OrderTimedOut'].includes(e.method)
    ) {
      const id = e.data.orderId.toHex();
      const row = [...state.rows.values()].find((r) => r.orderId === id);
      if (!row) continue;
      if (e.method === 'OrderConfirmed') row.confirmedBlock = n;
      else row.failed = e.method === 'OrderTimedOut' ? 'timed out' : `${e.data.error.type}`;
      changed();
    }
  }
}

async function onRelayBlock(api: ApiPromise, n: number, hash: string): Promise<void> {
  const waiting = [...state.rows.values()].filter(
    (r) => r.paraBlock !== undefined && r.relayBlock === undefined && r.route !== 'crust',
  );
  const paras = new Set(waiting.map((r) => conns.network.chains.find((c) => c.id === r.from)!.paraId));
  for (const para of paras) {
    const head = (await (api.query as any).paras.heads.at(hash, para)) as any;
    if (head.isNone) continue;
    const number = (api.createType('Header', head.unwrap().toU8a(true)) as any).number.toNumber();
    for (const r of waiting)
      if (paraName.get(para) === r.from && number >= r.paraBlock!) {
        r.relayBlock = n;
        changed();
      }
  }
  if (n % 2 === 0 || n === state.chains.get('relay')?.best) await readHrmp(api, hash);
}

async function readHrmp(api: ApiPromise, hash: string): Promise<void> {
  const entries = await (api.query as any).hrmp.hrmpChannels.entriesAt(hash);
  state.hrmp = entries.map(([k, v]: [any, any]) => {
    const id = k.args[0];
    const c = v.unwrap();
    return {
      from: paraName.get(id.sender.toNumber()) ?? String(id.sender),
      to: paraName.get(id.recipient.toNumber()) ?? String(id.recipient),
      count: c.msgCount.toNumber(),
      bytes: c.totalSize.toNumber(),
      capacity: c.maxCapacity.toNumber(),
    };
  });
  changed();
}

async function onCrustBlock(api: ApiPromise, n: number, hash: string): Promise<void> {
  const events = (await eventsAt(api, hash)).map((r) => r.event);
  const placedCids = new Set<string>();
  for (const e of events)
    if ((e.section === 'xstorage' || e.section === 'market') && e.method === 'FileSuccess')
      placedCids.add((e.data.cid ?? e.data[1]).toUtf8());
  for (const e of events) {
    if (e.section === 'messageQueue' && e.method === 'Processed') {
      const row = rowByMessage(e.data.id.toHex());
      if (!row) continue;
      row.crustBlock = n;
      if (!e.data.success.isTrue || !placedCids.has(row.cid)) row.failed ??= 'refused on Crust';
      changed();
    } else if (e.section === 'polkadotXcm' && e.method === 'ProcessXcmError') {
      const row = rowByMessage(e.data.messageId.toHex());
      if (row) {
        row.failed = e.data.error.type;
        changed();
      }
    } else if (e.section === 'market' && e.method === 'FileSuccess') {
      const cid = e.data[1].toUtf8();
      if (rowsByCid(cid).some((r) => r.crustBlock === n || r.crustBlock === undefined)) continue;
      addRow({
        key: `crust:${cid}:${n}`,
        cid,
        from: 'crust',
        route: 'crust',
        who: e.data[0].toString(),
        crustBlock: n,
        paraBlock: n,
      });
    }
  }
  // Replicas of the files still on their way to the target.
  const pending = new Set(
    [...state.rows.values()]
      .filter(
        (r) => r.crustBlock !== undefined && !r.failed && (r.file?.replicas.length ?? 0) < TARGET_REPLICAS,
      )
      .map((r) => r.cid),
  );
  for (const cid of pending) {
    const file = await fileStatus(api, cid, conns.network.crust.ss58, hash);
    for (const r of rowsByCid(cid)) r.file = file;
    changed();
  }
}

// ---- storage nodes ---------------------------------------------------------------------------------------------

async function pollNodes(): Promise<void> {
  for (;;) {
    try {
      const r = await fetch('/api/storage-nodes');
      if (r.ok) {
        state.nodes = (await r.json()) as any[];
        changed();
      }
    } catch {
      // the devnet went away; keep trying
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---- rendering -------------------------------------------------------------------------------------------------

const stage = (ok: boolean, text: string, bad = false) =>
  `<td class="stage ${bad ? 'bad' : ok ? 'ok' : 'wait'}">${text}</td>`;

function rowStage(r: OrderRow): string {
  if (r.failed) return 'failed';
  if ((r.file?.replicas.length ?? 0) >= TARGET_REPLICAS) return 'replicated';
  if (r.crustBlock !== undefined) return 'executed';
  if (r.relayBlock !== undefined) return 'relayed';
  return 'sent';
}

function orderRowHtml(r: OrderRow): string {
  const reps = r.file?.replicas.length ?? 0;
  const home =
    r.route === 'pallet'
      ? stage(
          r.confirmedBlock !== undefined,
          r.confirmedBlock !== undefined ? `#${r.confirmedBlock}` : '…',
          !!r.failed && r.confirmedBlock === undefined,
        )
      : `<td class="muted">${r.route === 'crust' ? 'on Crust' : 'no report'}</td>`;
  return `<tr data-cid="${esc(r.cid)}" data-stage="${rowStage(r)}" data-replicas="${reps}">
    <td><a class="mono" href="#/cid/${esc(r.cid)}">${esc(short(r.cid, 10))}</a></td>
    <td>${r.size ?? r.file?.size ?? ''}</td>
    <td>${esc(r.from)}</td>
    ${stage(true, r.route === 'crust' ? '—' : `#${r.paraBlock}`)}
    ${r.route === 'crust' ? '<td class="muted">—</td>' : stage(r.relayBlock !== undefined, r.relayBlock !== undefined ? `#${r.relayBlock}` : '…')}
    ${stage(r.crustBlock !== undefined && !r.failed, r.failed ? esc(r.failed) : r.crustBlock !== undefined ? `#${r.crustBlock}` : '…', !!r.failed)}
    ${home}
    <td><span class="bar"><i style="width:${Math.min(100, (reps / TARGET_REPLICAS) * 100)}%"></i></span>${reps}/${TARGET_REPLICAS}</td>
  </tr>`;
}

function render(): void {
  const page = location.hash.match(/^#\/cid\/(.+)$/);
  $('#home').toggleAttribute('hidden', !!page);
  $('#cid-page').toggleAttribute('hidden', !page);
  const live = [...state.chains.values()].filter((c) => c.best !== undefined).length;
  $('#conn').textContent = `${live}/${state.chains.size} chains live`;
  if (page) {
    renderCid(decodeURIComponent(page[1]!));
    return;
  }
  $('#chains tbody').innerHTML = [...state.chains.values()]
    .map(
      (c) => `<tr data-chain="${c.id}"><td>${esc(c.name)}</td><td>${c.paraId ?? '—'}</td><td>${c.token}</td>
        <td class="best">${c.error ? `<span class="bad">${esc(c.error)}</span>` : c.best === undefined ? '…' : `#${c.best}`}</td>
        <td>${c.finalized === undefined ? '' : `#${c.finalized}`}</td><td class="mono muted">${esc(c.ws)}</td></tr>`,
    )
    .join('');
  const busy = state.hrmp.filter((h) => h.count > 0);
  $('#hrmp-summary').textContent =
    `${state.hrmp.length} channels open, ${busy.reduce((n, h) => n + h.count, 0)} messages in flight`;
  $('#hrmp tbody').innerHTML =
    (busy.length ? busy : state.hrmp.filter((h) => h.to === 'crust' || h.from === 'crust').slice(0, 4))
      .map(
        (h) =>
          `<tr><td>${esc(h.from)} → ${esc(h.to)}</td><td>${h.count}</td><td>${h.bytes}</td><td>${h.capacity}</td></tr>`,
      )
      .join('') || '<tr class="empty"><td colspan="4">no channels</td></tr>';
  const rows = [...state.rows.values()].sort((a, b) => b.seen - a.seen);
  if (rows.length) $('#orders tbody').innerHTML = rows.map(orderRowHtml).join('');
  $('#nodes tbody').innerHTML =
    state.nodes
      .map((n) => {
        const s = n.status;
        const space = s?.space ? `${fmtBytes(s.space.free ?? s.space.available ?? 0)} free` : '';
        const files = s?.fileList
          ? `${s.fileList.filter((f: any) => f.state === 'stored' || f.onChain).length} kept / ${s.fileList.length}`
          : '';
        const last = s?.lastReport
          ? `slot ${s.lastReport.slot} at #${s.lastReport.at} (+${s.lastReport.added})`
          : s
            ? 'none yet'
            : '';
        return `<tr data-node="${esc(n.name)}"><td>${esc(n.name)}</td><td class="mono">${esc(short(n.account))}</td><td>${files}</td><td>${space}</td>
          <td>${n.error ? `<span class="bad">${esc(n.error)}</span>` : last}</td><td>${s?.nextReport ? `#${s.nextReport.at}` : ''}</td></tr>`;
      })
      .join('') || '<tr class="empty"><td colspan="6">no storage nodes in endpoints.json</td></tr>';
}

function fmtBytes(n: number): string {
  return n > 1 << 30
    ? `${(n / (1 << 30)).toFixed(1)} GiB`
    : n > 1 << 20
      ? `${(n / (1 << 20)).toFixed(1)} MiB`
      : `${(n / 1024).toFixed(1)} KiB`;
}

let cidSub: { cid: string; unsub?: () => void; file?: FileStatus | null } | undefined;
function renderCid(cid: string): void {
  if (cidSub?.cid !== cid) {
    cidSub?.unsub?.();
    const sub: NonNullable<typeof cidSub> = { cid };
    cidSub = sub;
    conns.api(conns.network.crust.id).then(async (crust) => {
      sub.unsub = await (crust.query as any).market.filesV2(cid, async () => {
        sub.file = (await fileStatus(crust, cid, conns.network.crust.ss58)) ?? null;
        changed();
      });
    });
  }
  const f = cidSub.file;
  const crust = conns.network.crust;
  const trail = rowsByCid(cid).map(orderRowHtml).join('');
  const holders = state.nodes
    .filter((n) => n.status?.fileList?.some((x: any) => x.cid === cid))
    .map((n) => n.name);
  $('#cid-page').innerHTML = `<h2 class="mono">${esc(cid)}</h2>
    <p><a href="#/">← all orders</a> · ${endpoints.gateway ? `<a href="${esc(endpoints.gateway)}/ipfs/${esc(cid)}">open on the gateway</a>` : ''}</p>
    ${
      f === undefined
        ? '<p class="muted">reading Crust…</p>'
        : f === null
          ? '<p class="bad">Crust has no order for this CID</p>'
          : `<dl data-cid="${esc(cid)}" data-replicas="${f.replicas.length}">
      <dt>size</dt><dd>${f.size} bytes</dd>
      <dt>replicas</dt><dd>${f.replicas.length}${f.replicas.map((r) => `<div class="mono">${esc(r.who)} since #${r.validAt}</div>`).join('')}</dd>
      <dt>expires</dt><dd>${f.expiredAt === 0 ? 'pending (no replica yet)' : `#${f.expiredAt}`}</dd>
      <dt>renewal fund</dt><dd>${formatAmount(f.prepaid, crust.decimals, crust.token)}</dd>
      <dt>reward pot</dt><dd>${formatAmount(f.amount, crust.decimals, crust.token)}</dd>
      <dt>held by</dt><dd>${holders.join(', ') || '—'}</dd></dl>`
    }
    <h2>The order across chains</h2>
    <table><thead><tr><th>CID</th><th>size</th><th>from</th><th>sent</th><th>relay</th><th>Crust</th><th>home</th><th>replicas</th></tr></thead><tbody>${trail || '<tr class="empty"><td colspan="8">not seen in the recent blocks</td></tr>'}</tbody></table>`;
}

// ---- start -----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  for (;;) {
    const r = await fetch('/endpoints.json').catch(() => undefined);
    if (r?.ok) {
      endpoints = (await r.json()) as Endpoints;
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  conns = new ChainConnections(endpoints, DEVNET, 20_000);
  for (const c of DEVNET.chains) paraName.set(c.paraId, c.id);
  state.chains.set('relay', {
    id: 'relay',
    name: DEVNET.relay.name,
    token: DEVNET.relay.token,
    ws: endpoints.relay.ws,
  });
  for (const c of DEVNET.chains) {
    const p = endpoints.parachains[c.id];
    if (!p) continue;
    paraName.set(p.paraId, c.id);
    state.chains.set(c.id, { id: c.id, name: c.name, paraId: p.paraId, token: c.token, ws: p.ws });
  }
  window.addEventListener('hashchange', changed);
  changed();
  void pollNodes();
  void followChain('relay', onRelayBlock);
  for (const id of state.chains.keys()) {
    if (id === 'relay') continue;
    void followChain(
      id,
      id === conns.network.crust.id ? onCrustBlock : (api, n, h) => onParaBlock(id, api, n, h),
    );
  }
}

void main();
