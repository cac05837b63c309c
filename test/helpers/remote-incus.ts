import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { forceDelete } from '../../src/core/container/force-delete.js';
import { incusdPath } from '../../src/core/host/packages.js';
import {
  ensureBridge,
  ensureDefaultProfile,
  ensureStoragePool,
} from '../../src/core/host/resources.js';
import { IncusClient } from '../../src/incus/client.js';
import { IncusUnavailableError } from '../../src/incus/errors.js';
import { InstancesApi } from '../../src/incus/instances.js';
import { UnixTransport } from '../../src/incus/transport.js';
import { forwardGuardRuleset } from '../../src/security/nft/forward-guard.js';
import { withLockFile } from '../../src/shared/lock-file.js';
import { run, type RunOptions } from '../../src/shared/run.js';
import { CACHED_DEFAULT } from './cached-default.js';
import { copyImageOnce } from './remote-incus-image.js';
import {
  trustCert,
  untrustCert,
  writeClientConf,
  type ClientConf,
  type ConfRemote,
} from './remote-incus-conf.js';

/**
 * A second Incus daemon on this machine playing a remote host, the way Incus's own test suite
 * runs several: its own INCUS_DIR (kept between runs, so its pool, bridge and image survive) and
 * its own network namespace, so its bridge, nft tables and containers' veths are invisible to the
 * host; the host reaches its HTTPS API over a veth pair on a /30 of its own. Files of one run
 * share one bed (set up under a lock); the run's global teardown removes it (daemon, netns).
 *
 * Both daemons share the host's cgroup tree (`lxc.payload.<name>`): name the bed's containers
 * with `remoteTestName` (testbed.ts), never like a local one.
 */
export const BED = {
  netns: 'coi-test-remote',
  incusDir: '/var/lib/coi-test-remote',
  hostVeth: 'coi-rbed0',
  bedVeth: 'coi-rbed1',
  hostAddress: '10.251.17.1',
  address: '10.251.17.2',
  bridge: 'coirbr0',
  /** The pool name `ensureStoragePool` gives. */
  pool: 'default',
  log: '/tmp/coi-test-remote-incusd.log',
} as const;

/** The name the bed has in the client configs it hands out. */
export const BED_REMOTE = 'coi-bed';
export const BED_URL = `https://${BED.address}:8443`;
/** The image the bed's containers launch from: a copy of the local test image. */
export const BED_IMAGE = CACHED_DEFAULT;

const LOCK_DIR = '/tmp/coi-test-remote-lock';
const SOCKET = join(BED.incusDir, 'unix.socket');

/** A client of the bed's daemon over its unix socket: full trust, for set-up and checks. */
export function bedSocketClient(): IncusClient {
  return new IncusClient(new UnixTransport(SOCKET));
}

/** Runs a command inside the bed's network namespace. */
export function inBedNetns(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return run('ip', ['netns', 'exec', BED.netns, cmd, ...args], opts);
}

async function bedNetnsExists(): Promise<boolean> {
  const list = await run('ip', ['netns', 'list']);
  return list.split('\n').some((line) => line.split(' ')[0] === BED.netns);
}

async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', name]).then(
    () => true,
    () => false,
  );
}

async function ensureNetns(): Promise<void> {
  if (!(await bedNetnsExists())) await run('ip', ['netns', 'add', BED.netns]);
  if (!(await linkExists(BED.hostVeth))) {
    await run('ip', ['link', 'add', BED.hostVeth, 'type', 'veth', 'peer', 'name', BED.bedVeth]);
    await run('ip', ['link', 'set', BED.bedVeth, 'netns', BED.netns]);
    await run('ip', ['addr', 'add', `${BED.hostAddress}/30`, 'dev', BED.hostVeth]);
    await inBedNetns('ip', ['addr', 'add', `${BED.address}/30`, 'dev', BED.bedVeth]);
  }
  await run('ip', ['link', 'set', BED.hostVeth, 'up']);
  await inBedNetns('ip', ['link', 'set', BED.bedVeth, 'up']);
  await inBedNetns('ip', ['link', 'set', 'lo', 'up']);
}

async function daemonAnswers(client: IncusClient): Promise<boolean> {
  try {
    await client.get('/1.0');
    return true;
  } catch (err) {
    if (err instanceof IncusUnavailableError) return false;
    throw err;
  }
}

/**
 * `ip netns exec` gives its command a mount namespace with a fresh /sys (so /sys/class/net shows
 * the netns' interfaces), which drops the cgroup mounts under it: the script mounts the host's
 * cgroup hierarchies there again (the same hierarchies, as the cgroup namespace is the host's),
 * then becomes incusd.
 */
async function daemonScript(binary: string): Promise<string> {
  const lines = ['set -e'];
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) {
    const [mount, fs] = line.split(' - ');
    const point = mount?.split(' ')[4];
    const [type, , options] = fs?.split(' ') ?? [];
    if (!point?.startsWith('/sys/fs/cgroup') || !type) continue;
    if (point === '/sys/fs/cgroup' && type !== 'tmpfs') continue;
    const source = type === 'tmpfs' ? 'tmpfs' : 'cgroup';
    lines.push(`mkdir -p '${point}'`, `mount -t ${type} -o '${options}' ${source} '${point}'`);
  }
  lines.push(`export INCUS_DIR='${BED.incusDir}'`, `exec '${binary}' --group root`);
  return lines.join('\n');
}

/** Starts the bed's incusd inside its netns (in its own session, logging to BED.log). */
export async function startBedDaemon(): Promise<void> {
  const client = bedSocketClient();
  try {
    if (await daemonAnswers(client)) return;
    const binary = incusdPath();
    if (!binary) throw new Error('incusd is not installed (package "incus")');
    await mkdir(BED.incusDir, { recursive: true, mode: 0o711 });
    const log = openSync(BED.log, 'a');
    const script = await daemonScript(binary);
    spawn('ip', ['netns', 'exec', BED.netns, 'sh', '-c', script], {
      detached: true,
      stdio: ['ignore', log, log],
    }).unref();
    for (let i = 0; i < 150; i++) {
      if (await daemonAnswers(client)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the remote bed's incusd did not answer within 30 s; see ${BED.log}`);
  } finally {
    await client.close();
  }
}

/** The pids of every process in the bed's netns (its incusd, dnsmasq, forkproxy, …). */
async function bedPids(): Promise<number[]> {
  if (!(await bedNetnsExists())) return [];
  const out = await run('ip', ['netns', 'pids', BED.netns]);
  return out.split('\n').filter(Boolean).map(Number);
}

async function commandOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}

/** Signals a process; one that has exited since it was listed is fine. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const alive = new Set(await bedPids());
    left = left.filter((p) => alive.has(p));
  }
  return left;
}

/**
 * Stops the bed's incusd (the remote host going away); its netns, INCUS_DIR and containers' state
 * stay, and `startBedDaemon` brings it back.
 */
export async function stopBedDaemon(): Promise<void> {
  const daemons: number[] = [];
  for (const pid of await bedPids()) if ((await commandOf(pid)) === 'incusd') daemons.push(pid);
  for (const pid of daemons) signal(pid, 'SIGTERM');
  for (const pid of await waitGone(daemons, 15_000)) signal(pid, 'SIGKILL');
  await waitGone(daemons, 5_000);
}

async function configureDaemon(client: IncusClient): Promise<void> {
  const address = `${BED.address}:8443`;
  const server = await client.get<{ config: Record<string, string> }>('/1.0');
  if (server.config['core.https_address'] !== address) {
    await client.sync('PATCH', '/1.0', { body: { config: { 'core.https_address': address } } });
  }
  // btrfs (a loop file in INCUS_DIR, mounted in the daemon's own mount namespace): a launch is a
  // snapshot of the image's volume; `dir` would unpack the 2 GB image for every container.
  await ensureStoragePool(client, BED.pool);
  await ensureBridge(client, BED.bridge, true);
  await ensureDefaultProfile(client, BED.pool, BED.bridge);
  await inBedNetns('nft', ['-f', '-'], { stdin: forwardGuardRuleset(BED.bridge) });
}

/** Netns, veth, daemon, its configuration and image: each only where missing. */
async function ensureBedRunning(): Promise<void> {
  await withLockFile(LOCK_DIR, 'bed', { timeoutMs: 900_000 }, async () => {
    await ensureNetns();
    await startBedDaemon();
    const bed = bedSocketClient();
    const local = IncusClient.local();
    try {
      await configureDaemon(bed);
      await copyImageOnce(local, bed, BED_IMAGE);
    } finally {
      await Promise.all([bed.close(), local.close()]);
    }
  });
}

/** The bed's server certificate, as a client pins it. */
export function bedServerCert(): Promise<string> {
  return readFile(join(BED.incusDir, 'server.crt'), 'utf8');
}

export interface RemoteBed {
  /** An INCUS_CONF naming the bed as remote BED_REMOTE (its default) with a trusted certificate. */
  conf: ClientConf;
  /** Untrusts this caller's certificate and removes its config directory. */
  release(): Promise<void>;
}

const CERT_NAME_PREFIX = 'coi-test-';

/**
 * The bed, running and set up (a second call, from any file of the run, reuses it), with a client
 * config of this caller's own: `certName` names its certificate in the bed's trust store, and
 * `otherRemotes` (given the bed's server certificate) are listed after the bed (the default).
 */
export async function ensureRemoteBed(
  certName: string,
  otherRemotes: (serverCert: string) => ConfRemote[] = () => [],
): Promise<RemoteBed> {
  await ensureBedRunning();
  // The bed's certificate exists only once its daemon has started (the first file of a run).
  const serverCert = await bedServerCert();
  const conf = await writeClientConf(certName, [
    { name: BED_REMOTE, url: BED_URL, serverCert },
    ...otherRemotes(serverCert),
  ]);
  const bed = bedSocketClient();
  try {
    await trustCert(bed, `${CERT_NAME_PREFIX}${certName}`, conf.certPem);
  } finally {
    await bed.close();
  }
  return {
    conf,
    async release() {
      const client = bedSocketClient();
      try {
        if (await daemonAnswers(client)) await untrustCert(client, conf.fingerprint);
      } finally {
        await client.close();
      }
      await rm(conf.dir, { recursive: true, force: true });
    },
  };
}

interface Named {
  name: string;
}

/** The bed's containers (empty when its daemon is not running). */
export async function bedContainers(): Promise<string[]> {
  const client = bedSocketClient();
  try {
    if (!(await daemonAnswers(client))) return [];
    return (await client.get<Named[]>('/1.0/instances', { recursion: 1 })).map((i) => i.name);
  } finally {
    await client.close();
  }
}

/** Force-deletes a container of the bed. */
export async function deleteBedContainer(name: string): Promise<void> {
  const client = bedSocketClient();
  try {
    const instances = new InstancesApi(client);
    if (!(await instances.exists(name))) return;
    await (await forceDelete({ instances }, name)).wait({ timeoutMs: 60_000 });
  } finally {
    await client.close();
  }
}

/** What of the bed is still there: its daemon's and other processes, its netns, its veth. */
export async function bedRemnants(): Promise<string[]> {
  const left: string[] = [];
  for (const pid of await bedPids()) left.push(`process ${pid} (${await commandOf(pid)})`);
  if (await bedNetnsExists()) left.push(`netns ${BED.netns}`);
  if (await linkExists(BED.hostVeth)) left.push(`veth ${BED.hostVeth}`);
  return left;
}

/**
 * Removes the bed: its containers first, the test certificates, then the daemon and whatever else
 * runs in its netns, the netns (its end of the veth goes with it) and the host's veth. INCUS_DIR
 * (pool, bridge, image) stays for the next run.
 */
export async function teardownRemoteBed(): Promise<void> {
  const client = bedSocketClient();
  try {
    if (await daemonAnswers(client)) {
      for (const name of await bedContainers()) await deleteBedContainer(name);
      const certs = await client.get<{ name: string; fingerprint: string }[]>('/1.0/certificates', {
        recursion: 1,
      });
      for (const c of certs)
        if (c.name.startsWith(CERT_NAME_PREFIX)) await untrustCert(client, c.fingerprint);
    }
  } finally {
    await client.close();
  }
  await stopBedDaemon();
  const others = await bedPids();
  for (const pid of others) signal(pid, 'SIGKILL');
  await waitGone(others, 5_000);
  if (await bedNetnsExists()) await run('ip', ['netns', 'delete', BED.netns]);
  if (await linkExists(BED.hostVeth)) await run('ip', ['link', 'delete', BED.hostVeth]);
}
