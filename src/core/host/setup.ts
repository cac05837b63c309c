import { mkdirSync } from 'node:fs';
import { IncusClient } from '../../incus/client.js';
import { NetworksApi } from '../../incus/networks.js';
import { Incus } from '../../incus/index.js';
import { buildBaseImage } from '../image/builder.js';
import {
  buildDefaultImage,
  DEFAULT_BUILD_ESTIMATE,
  type DefaultBuildSettings,
} from '../image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../image/default-recipe.js';
import type { Progress } from '../progress.js';
import { bridgeGateway } from '../../shared/instance-network.js';
import { BRIDGE_NAME } from './bridge.js';
import { ensureDaemon } from './daemon.js';
import { FORWARD_GUARD_TABLE, installForwardGuard } from '../../security/nft/forward-guard.js';
import { ensurePackages, requiredPackages } from './packages.js';
import { ensureSysctls } from './sysctl.js';
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
  /**
   * Also build coi-default, the image with the agents, when missing (default off; `coi setup`
   * turns it on, so that a first start ends at a working agent). Later runs only check it.
   */
  defaultImage?: boolean;
  /** How coi-default is built (`[container.build]`). */
  defaultImageBuild?: DefaultBuildSettings;
}

export interface HostSetupReport {
  steps: StepResult[];
  /** The bridge containers use and its gateway address. */
  bridge: string;
  gateway: string;
  baseImage?: string;
  defaultImage?: string;
}

/**
 * Brings a host to a working coi state, idempotently: packages, daemon, kernel limits, storage pool, bridge,
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

  report(ensureSysctls());
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
  const defaultImage =
    opts.image !== false && opts.defaultImage
      ? await ensureDefaultImage(client, opts, report)
      : undefined;
  if (!opts.client) await client.close();
  return { steps, bridge, gateway, baseImage, ...(defaultImage ? { defaultImage } : {}) };
}

/** coi-default as it is, or built now (saying first how long that takes). */
async function ensureDefaultImage(
  client: IncusClient,
  opts: HostSetupOptions,
  report: (step: StepResult) => void,
): Promise<string> {
  // Not closed here: the client belongs to setupHost.
  const incus = new Incus(client);
  if (!(await incus.images.exists(DEFAULT_IMAGE_ALIAS))) {
    opts.progress.info(
      `${DEFAULT_IMAGE_ALIAS}, the image the agents run in, is not built yet: building it now ` +
        `(${DEFAULT_BUILD_ESTIMATE}; only this once, later starts just check it)`,
    );
  }
  const built = await buildDefaultImage({
    ...opts.defaultImageBuild,
    incus,
    progress: opts.progress,
    logPath: `${SETUP_LOG_DIR}/default-image-build.log`,
  });
  report({
    name: 'default image',
    status: built.built ? 'done' : 'ok',
    message:
      `${built.alias} (${built.fingerprint.slice(0, 12)})` +
      (built.stale ? `; built from an older recipe: \`coi build --force\` rebuilds it` : ''),
  });
  return built.alias;
}
