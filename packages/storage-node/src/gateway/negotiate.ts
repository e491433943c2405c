/**
 * Which representation a `/ipfs/` request wants: `?format=` wins over `Accept` (path-gateway spec), CAR
 * parameters come from `car-*` query params or the Accept media type parameters (IPIP-412).
 */
import type { IncomingMessage } from 'node:http';
import type { DagScope } from './dag-walk.ts';
import { BadArgumentError, NotAcceptableError } from './errors.ts';

export const RAW_TYPE = 'application/vnd.ipld.raw';
export const CAR_TYPE = 'application/vnd.ipld.car';

export interface CarParams {
  version: 1;
  order: 'dfs';
  dups: boolean;
  scope: DagScope;
  /** `entity-bytes` was given: only the blocks that verify that range are sent (entity-bytes.ts). */
  entityBytes?: string;
}

export type Representation =
  | { kind: 'deserialized' }
  | { kind: 'raw'; fromAccept: boolean }
  | { kind: 'car'; fromAccept: boolean; car: CarParams };

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const out: MediaRange[] = [];
  for (const part of header.split(',').slice(0, 32)) {
    const [type, ...rawParams] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0)
        params[p.slice(0, eq).trim().toLowerCase()] = p
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    out.push({ type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 });
  }
  // Stable sort by preference.
  return out.filter((m) => m.q > 0).sort((a, b) => b.q - a.q);
}

const UNSUPPORTED_FORMATS = new Set(['tar', 'dag-json', 'dag-cbor', 'json', 'cbor', 'ipns-record']);

export function negotiate(req: IncomingMessage, query: URLSearchParams): Representation {
  const format = query.get('format');
  const accepted = parseAccept(req.headers.accept);
  const acceptCar = accepted.find((m) => m.type === CAR_TYPE);
  const firstTrustless = accepted.find((m) => m.type === RAW_TYPE || m.type === CAR_TYPE);
  if (format !== null) {
    if (format === 'raw') return { kind: 'raw', fromAccept: false };
    if (format === 'car')
      return { kind: 'car', fromAccept: false, car: carParams(query, acceptCar?.params ?? {}) };
    if (UNSUPPORTED_FORMATS.has(format))
      throw new NotAcceptableError(`format "${format}" is not supported here`);
    throw new BadArgumentError(`unknown format "${format.slice(0, 40)}"`);
  }
  if (firstTrustless?.type === RAW_TYPE) return { kind: 'raw', fromAccept: true };
  if (firstTrustless?.type === CAR_TYPE) {
    return { kind: 'car', fromAccept: true, car: carParams(query, firstTrustless.params) };
  }
  return { kind: 'deserialized' };
}

function carParams(query: URLSearchParams, accept: Record<string, string>): CarParams {
  const version = query.get('car-version') ?? accept.version ?? '1';
  if (version !== '1')
    throw new NotAcceptableError(`CAR version ${version.slice(0, 10)} is not supported (only 1)`);
  const order = query.get('car-order') ?? accept.order ?? 'dfs';
  if (order !== 'dfs' && order !== 'unk') {
    throw new NotAcceptableError(`CAR order "${order.slice(0, 20)}" is not supported (dfs, unk)`);
  }
  const dups = query.get('car-dups') ?? accept.dups ?? 'n';
  if (dups !== 'y' && dups !== 'n')
    throw new BadArgumentError(`invalid CAR dups "${dups.slice(0, 20)}" (y, n)`);
  const scope = query.get('dag-scope') ?? 'all';
  if (scope !== 'all' && scope !== 'entity' && scope !== 'block') {
    throw new BadArgumentError(`invalid dag-scope "${scope.slice(0, 20)}" (all, entity, block)`);
  }
  const entityBytes = query.get('entity-bytes') ?? undefined;
  if (entityBytes !== undefined && !/^-?\d+:(-?\d+|\*)$/.test(entityBytes)) {
    throw new BadArgumentError(`invalid entity-bytes "${entityBytes.slice(0, 40)}"`);
  }
  // entity-bytes implies dag-scope=entity.
  return { version: 1, order: 'dfs', dups: dups === 'y', scope: entityBytes ? 'entity' : scope, entityBytes };
}
