import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncusClient } from '../../incus/client.js';
import { IncusUnavailableError } from '../../incus/errors.js';
import { ServerApi, type Server } from '../../incus/server.js';
import { HostSetupError, incusdPath } from './packages.js';
import { isRoot, systemdIsInit } from './platform.js';
import { run } from '../../shared/run.js';

const INCUSD_LOG = '/var/log/coi/incusd.log';

async function probe(client: IncusClient): Promise<Server | undefined> {
  try {
    return await new ServerApi(client).get();
  } catch (err) {
    if (err instanceof IncusUnavailableError) return undefined;
    throw err;
  }
}

async function waitForDaemon(client: IncusClient, timeoutMs: number): Promise<Server | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = await probe(client);
    if (server || Date.now() > deadline) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface DaemonStatus {
  server: Server;
  /** How it came to answer: it already ran, or coi started it (and how). */
  started: 'already-running' | 'systemd' | 'background';
}

/**
 * Makes sure the daemon answers `GET /1.0`: starts it with the service manager where one runs,
 * else as a background process with its log in /var/log/coi/incusd.log.
 */
export async function ensureDaemon(client: IncusClient): Promise<DaemonStatus> {
  const running = await probe(client);
  if (running) return { server: running, started: 'already-running' };
  if (!isRoot()) {
    throw new HostSetupError(
      `Incus is not answering at ${client.endpoint} and starting it needs root: run \`sudo systemctl start incus\` ` +
        '(or `sudo coi health --fix`), then try again.',
    );
  }
  if (systemdIsInit()) {
    await run('systemctl', ['start', 'incus.socket', 'incus.service']);
    const server = await waitForDaemon(client, 30_000);
    if (server) return { server, started: 'systemd' };
    throw new HostSetupError(
      '`systemctl start incus` returned but Incus does not answer; see `journalctl -u incus`',
    );
  }
  const binary = incusdPath();
  if (!binary) throw new HostSetupError('incusd is not installed (package "incus")');
  mkdirSync(dirname(INCUSD_LOG), { recursive: true });
  const logFd = openSync(INCUSD_LOG, 'a');
  const child = spawn(binary, ['--group', adminGroup()], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  child.unref();
  const server = await waitForDaemon(client, 30_000);
  if (server) return { server, started: 'background' };
  throw new HostSetupError(
    `started ${binary} but it did not answer within 30 s; see ${INCUSD_LOG}`,
  );
}

/** The group that may use the socket: incus-admin where the package created it. */
function adminGroup(): string {
  try {
    return /^incus-admin:/m.test(readFileSync('/etc/group', 'utf8')) ? 'incus-admin' : 'root';
  } catch {
    // No /etc/group to read: root is the group that surely exists.
    return 'root';
  }
}
