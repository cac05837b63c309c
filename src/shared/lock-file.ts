import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CoiError } from './errors.js';

export class LockTimeoutError extends CoiError {}

const POLL_MS = 50;

/**
 * Runs `body` while holding the lock `<dir>/slot-<key>.lock`, so that coi processes sharing `dir`
 * (~/.coi/locks: one home) take turns (picking a workspace's slot, picking a free address). The lock is a file
 * holding the owner's pid; one whose owner died is taken over.
 */
export async function withLockFile<T>(
  dir: string,
  key: string,
  opts: { timeoutMs?: number; onWait?: () => void },
  body: () => Promise<T>,
): Promise<T> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `slot-${key}.lock`);
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let told = false;
  for (;;) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!(await ownerAlive(path))) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(
        `another coi process has held ${path} for too long; if no coi is running, delete the file`,
      );
    }
    if (!told) opts.onWait?.();
    told = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await body();
  } finally {
    await rm(path, { force: true });
  }
}

async function ownerAlive(path: string): Promise<boolean> {
  const pid = Number(await readFile(path, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) {
    // Empty: the owner is between creating and writing the file, or died right there.
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    return age < 5_000;
  }
  return pidAlive(pid);
}

/** Whether process `pid` runs (one of another user's counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
