import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorPaths } from './paths.js';
import { ask } from './singleton.js';

/** bin/coi.js, four levels above src/security/monitor/ (tsx) and dist/security/monitor/ (tsc). */
const COI_BIN = fileURLToPath(new URL('../../../bin/coi.js', import.meta.url));

export interface EnsureMonitorOptions {
  /** The coi home (`$HOME/.coi`) whose daemon it is: the daemon's HOME is its parent. */
  coiDir?: string;
  /** The container prefix it watches (default: COI_CONTAINER_PREFIX of its environment). */
  prefix?: string;
  /** Environment of the daemon (default: this process's, so COI_CONTAINER_PREFIX carries over). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Makes sure this user's monitor daemon runs: does nothing when its socket answers, otherwise
 * starts `coi monitor --daemon` detached (output to ~/.coi/monitor/daemon.log) and waits until it
 * answers. Resolves with whether it had to start one.
 */
export async function ensureMonitorDaemon(opts: EnsureMonitorOptions = {}): Promise<boolean> {
  const paths = monitorPaths(opts.coiDir ?? join(homedir(), '.coi'));
  if ((await ask(paths.socket, 'ping')) !== undefined) return false;
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const log = openSync(paths.log, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [COI_BIN, 'monitor', '--daemon'], {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...(opts.env ?? process.env),
        ...(opts.coiDir ? { HOME: dirname(opts.coiDir) } : {}),
        ...(opts.prefix ? { COI_CONTAINER_PREFIX: opts.prefix } : {}),
      },
    });
    child.unref();
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if ((await ask(paths.socket, 'ping', 500)) !== undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `the monitor daemon did not start within ${Math.round((opts.timeoutMs ?? 10_000) / 1000)} s; see ${paths.log}`,
  );
}
