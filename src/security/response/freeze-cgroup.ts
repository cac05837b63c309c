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

/** Whether the container's cgroup is frozen (or freezing), read from the host. */
export function cgroupFrozen(container: string, root = '/sys/fs/cgroup'): boolean {
  const group = `lxc.payload.${container}`;
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  const v1 = read(`${root}/freezer/${group}/freezer.state`);
  if (v1 !== undefined) return v1 !== 'THAWED';
  return read(`${root}/${group}/cgroup.freeze`) === '1';
}
