import { mkdirSync } from 'node:fs';
import { IncusClient } from '../../incus/client.js';
import { NetworksApi } from '../../incus/networks.js';
import { buildBaseImage } from '../image/builder.js';
import type { Progress } from '../progress.js';
import { bridgeGateway } from '../../shared/instance-network.js';
import { BRIDGE_NAME } from './bridge.js';
import { ensureDaemon } from './daemon.js';
import { FORWARD_GUARD_TABLE, installForwardGuard } from '../../security/nft/forward-guard.js';
import { ensurePackages, requiredPackages } from './packages.js';
import {
  defaultProfileTargets,
  ensureBridge,
  ensureDefaultProfile,
  ensureStoragePool,
  type StepResult,
} from './resources.js';

const SETUP_LOG_DIR = '/var/log/coi';

export interface HostSetupOptions {
  /** Test bed: bridge NAT off and the guard table that drops traffic leaving the bridge. */
  test: boolean;
  progress: Progress;
  client?: IncusClient;
  /** Build the base image when missing (default on). */
  image?: boolean;
}

export interface HostSetupReport {
  steps: StepResult[];
  /** The bridge containers use and its gateway address. */
  bridge: string;
  gateway: string;
  baseImage?: string;
}

/**
 * Brings a host to a working coi state, idempotently: packages, daemon, storage pool, bridge,
 * default profile, (test mode) guard table, base image. Each step only acts when something is
 * missing, so running it again is cheap.
 */
export async function setupHost(opts: HostSetupOptions): Promise<HostSetupReport> {
  const steps: StepResult[] = [];
  const report = (step: StepResult) => {
    steps.push(step);
    opts.progress.info(`${step.status === 'warn' ? '!' : '✓'} ${step.name}: ${step.message}`);
  };
  mkdirSync(SETUP_LOG_DIR, { recursive: true });

  const installed = await ensurePackages(opts.progress, `${SETUP_LOG_DIR}/install.log`);
  report({
    name: 'packages',
    status: installed.length ? 'done' : 'ok',
    message: installed.length
      ? `installed ${installed.join(', ')}`
      : `${requiredPackages().join(', ')} present`,
  });

  const client = opts.client ?? IncusClient.local();
  const daemon = await ensureDaemon(client);
  report({
    name: 'incus',
    status: daemon.started === 'already-running' ? 'ok' : 'done',
    message: `Incus ${daemon.server.environment?.server_version ?? '?'} at ${client.endpoint}${daemon.started === 'already-running' ? '' : ` (started via ${daemon.started})`}`,
  });

  const targets = await defaultProfileTargets(client);
  const pool = await ensureStoragePool(client, targets.pool);
  report(pool);
  const bridge = targets.bridge ?? BRIDGE_NAME;
  report(await ensureBridge(client, bridge, opts.test));
  report(await ensureDefaultProfile(client, targets.pool ?? 'default', bridge));
  if (opts.test) {
    await installForwardGuard(bridge);
    report({
      name: 'guard',
      status: 'ok',
      message: `nft table inet ${FORWARD_GUARD_TABLE} drops traffic forwarded off ${bridge}`,
    });
  }

  const network = await new NetworksApi(client).get(bridge);
  const gateway = bridgeGateway(network.config);

  let baseImage: string | undefined;
  if (opts.image !== false) {
    const built = await buildBaseImage({
      client,
      progress: opts.progress,
      logPath: `${SETUP_LOG_DIR}/image-build.log`,
    });
    baseImage = built.alias;
    report({
      name: 'base image',
      status: built.built ? 'done' : 'ok',
      message: `${built.alias} (${built.fingerprint.slice(0, 12)})`,
    });
  }
  if (!opts.client) await client.close();
  return { steps, bridge, gateway, baseImage };
}
