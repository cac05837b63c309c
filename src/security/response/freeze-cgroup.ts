import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Freezes a container's cgroup directly (cgroup v1 freezer or v2 cgroup.freeze). The responder
 * does this right before asking Incus to freeze: the processes stop within milliseconds, and
 * liblxc, which on cgroup v1 polls a FREEZING cgroup only once a second, then finds it frozen at
 * its first look, so Incus reports the freeze at once too. Returns false when neither file can be
 * written (not root, no such cgroup); Incus's freeze still follows.
 */
export function freezeCgroup(container: string, root = '/sys/fs/cgroup'): boolean {
  const group = `lxc.payload.${container}`;
  for (const [file, value] of [
    [`${root}/freezer/${group}/freezer.state`, 'FROZEN'],
    [`${root}/${group}/cgroup.freeze`, '1'],
  ] as const) {
    try {
      writeFileSync(file, value);
      return true;
    } catch {
      // Try the other hierarchy.
    }
  }
  return false;
}

/**
 * Resolves true once the freezer says the freeze is complete (v1 `FROZEN`, v2 `frozen 1` in
 * cgroup.events), false after `timeoutMs`. liblxc on cgroup v1 looks once and, reading FREEZING
 * (a task in the middle of I/O freezes a little later), sleeps a whole second before it looks
 * again: asking Incus only once the cgroup is FROZEN saves that second.
 */
export async function cgroupFreezeSettled(
  container: string,
  timeoutMs = 50,
  root = '/sys/fs/cgroup',
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (freezeComplete(container, root)) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function freezeComplete(container: string, root: string): boolean {
  const group = `lxc.payload.${container}`;
  const v1 = readState(`${root}/freezer/${group}/freezer.state`);
  if (v1 !== undefined) return v1 === 'FROZEN';
  return /^frozen 1$/m.test(readState(`${root}/${group}/cgroup.events`) ?? '');
}

function readState(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    // No such cgroup (gone, or the other hierarchy).
    return undefined;
  }
}

/** Whether the container's cgroup is frozen (or freezing), read from the host. */
export function cgroupFrozen(container: string, root = '/sys/fs/cgroup'): boolean {
  const group = `lxc.payload.${container}`;
  const v1 = readState(`${root}/freezer/${group}/freezer.state`);
  if (v1 !== undefined) return v1 !== 'THAWED';
  return readState(`${root}/${group}/cgroup.freeze`) === '1';
}
