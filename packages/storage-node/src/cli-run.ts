/**
 * `xstorage storage-node --crust …`: runs a {@link CrustStorageNode} until SIGINT / SIGTERM, one log line per
 * event (`--json`: one JSON object per line).
 */

import type { ParsedCrustFlags } from './cli-flags.ts';
import { CrustStorageNode } from './crust-storage-node.ts';
import type { GatewayOptions } from './gateway/index.ts';
import type { Provider } from './ipfs-access.ts';
import { pinningRoutes } from './pinning/service.ts';

export interface CommonFlags {
  basePath: string;
  listen?: string[];
  peers?: string[];
  providers: Provider[];
  gateway?: Partial<GatewayOptions>;
}

export async function runCrustStorageNode(
  flags: ParsedCrustFlags,
  common: CommonFlags,
  emit: (event: string, data: Record<string, unknown>) => void,
): Promise<number> {
  const node = new CrustStorageNode({
    crust: flags.crust,
    key: flags.key,
    basePath: common.basePath,
    name: flags.name,
    httpPort: flags.httpPort,
    listen: common.listen,
    peers: common.peers,
    providers: common.providers,
    group: flags.group,
    capacity: flags.capacity,
    limits: flags.limits,
    strategy: flags.strategy,
    worker: flags.worker,
    gateway: common.gateway,
    routes: flags.publicGateway ? (n) => pinningRoutes(n, { replicas: flags.pinReplicas }) : undefined,
    log: (event, data) => emit(event, { ...data, t: Date.now() }),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= node.stop();
    return stopping;
  };
  const onSignal = () => {
    void stop().then(() => {
      emit('stopped', {});
      process.exit(0);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await node.start();
  } catch (err) {
    console.error(`xstorage storage-node: ${(err as Error).name}: ${(err as Error).message}`);
    await stop();
    return 1;
  }
  await new Promise<never>(() => {});
  return 0;
}
