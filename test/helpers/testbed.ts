import { afterAll } from 'vitest';
import { IncusClient } from '../../src/incus/client.js';
import { IncusNotFoundError } from '../../src/incus/errors.js';
import { InstancesApi } from '../../src/incus/instances.js';
import { NetworksApi } from '../../src/incus/networks.js';
import { forceDelete } from '../../src/core/container/force-delete.js';
import { baseImageAlias } from '../../src/core/image/recipe.js';

/**
 * Helpers for integration tests on real containers. Every name starts with the per-run prefix
 * (`coi-test-<run>-`), so the final leak check finds anything a test left behind.
 */

export const RUN_ID = process.env.COI_TEST_RUN ?? 'adhoc';
/**
 * Each test file tags its names too: a monitor daemon watches every container named with its
 * prefix, and files run in parallel must not watch (or kill) each other's containers. Vitest
 * numbers the files of a run (a worker id each); short, so names still fit the control room's
 * slot column.
 */
const FILE_TAG = Number(process.env.VITEST_WORKER_ID ?? 0).toString(36);
export const TEST_PREFIX = `coi-test-${RUN_ID}-${FILE_TAG}-`;
export const BASE_IMAGE = baseImageAlias();
/** The bridge the default profile uses and its gateway (the host), found by the global set-up. */
export const BRIDGE = requiredEnv('COI_TEST_BRIDGE');
export const GATEWAY = requiredEnv('COI_TEST_GATEWAY');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run integration tests through vitest's integration project`,
    );
  return value;
}

let shared: IncusClient | undefined;
let instancesApi: InstancesApi | undefined;

/** One client per test file, over the local unix socket. */
export function incus(): IncusClient {
  shared ??= IncusClient.local();
  return shared;
}

/** The instance and network APIs over that client (what address bookkeeping reads). */
export function incusApis(): { instances: InstancesApi; networks: NetworksApi } {
  return { instances: instances(), networks: new NetworksApi(incus()) };
}

function instances(): InstancesApi {
  instancesApi ??= new InstancesApi(incus());
  return instancesApi;
}

/**
 * A container name for this run and file: `coi-test-<run>-<tag>-<label>` (label: lowercase
 * letters, digits, -).
 */
export function testName(label: string): string {
  const name = `${TEST_PREFIX}${label}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (name.length > 63) throw new Error(`test container name too long: ${name}`);
  return name;
}

/**
 * A name for a container of the remote bed (remote-incus.ts): `r-` after the prefix, since both
 * daemons name their containers' cgroups `lxc.payload.<name>` in the one host tree.
 */
export function remoteTestName(label: string): string {
  return testName(`r-${label}`);
}

export interface LaunchOptions {
  config?: Record<string, string>;
  devices?: Record<string, Record<string, string>>;
  /** Start it (default) or only create it. */
  start?: boolean;
  image?: string;
  ephemeral?: boolean;
}

const created = new Set<string>();

/** Creates (and by default starts) a container from the base image; deleted after the file. */
export async function launchTestContainer(
  label: string,
  opts: LaunchOptions = {},
): Promise<string> {
  const name = testName(label);
  created.add(name);
  const op = await instances().create({
    name,
    image: { alias: opts.image ?? BASE_IMAGE },
    config: opts.config ?? {},
    devices: opts.devices ?? {},
    ephemeral: opts.ephemeral ?? false,
    start: opts.start ?? true,
  });
  await op.wait({ timeoutMs: 120_000 });
  return name;
}

/** Force-stops and deletes a container; a container already gone is fine. */
export async function deleteTestContainer(name: string): Promise<void> {
  try {
    await (await forceDelete({ instances: instances() }, name)).wait({ timeoutMs: 60_000 });
  } catch (err) {
    if (!(err instanceof IncusNotFoundError)) throw err;
  }
  created.delete(name);
}

/**
 * Stops (SIGSTOP from the host) a running container's init, so it cannot act on a shutdown
 * signal: a clean stop then never finishes. Returns what continues it.
 */
export async function stallInit(name: string): Promise<() => void> {
  const { pid } = await instances().state(name);
  process.kill(pid, 'SIGSTOP');
  return () => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone already (force-stopped).
    }
  };
}

afterAll(async () => {
  await Promise.all([...created].map((name) => deleteTestContainer(name)));
});
