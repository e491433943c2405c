/**
 * `endpoints.json`, the devnet's contract with other programs (the CLI, the SDK, the dashboard, scripts): where each
 * chain's JSON-RPC is. `{ "relay": { "ws" }, "parachains": { "<name>": { "paraId", "ws" } } }`; with storage nodes
 * (`--storage-nodes N`, default 4) also `"gateway": "http://127.0.0.1:<port>"` (node 1: uploads, the Pinning Service
 * API) and `"storageNodes": [{ "name": "storage-<i>", "http", "account": "<Crust SS58>" }]`. Change its shape only on
 * purpose.
 */
import { join } from 'node:path';

export interface DevnetEndpoints {
  relay: { ws: string };
  parachains: Record<string, { paraId: number; ws: string }>;
  gateway?: string;
  storageNodes?: Array<{ name: string; http: string; account: string }>;
}

export const ENDPOINTS_FILE = 'endpoints.json';

export function endpointsPath(basePath: string): string {
  return join(basePath, ENDPOINTS_FILE);
}
