import type { Incus } from '../../incus/index.js';
import type { HomeFile } from '../tools/types.js';

export class SessionSetupError extends Error {
  readonly exitCode = 1;
}

/** Runs a root command inside; a failure says which set-up step failed and why. */
async function root(incus: Incus, name: string, step: string, command: string[]): Promise<string> {
  const result = await incus.exec.run(name, command);
  if (result.exitCode !== 0) {
    throw new SessionSetupError(
      `${step} failed in ${name} (exit ${result.exitCode}): ${result.stderr.toString().trim() || result.stdout.toString().trim()}`,
    );
  }
  return result.stdout.toString();
}

/**
 * Waits until systemd inside has booted (degraded counts: some units of a minimal image fail
 * harmlessly) and eth0 has an address, within `timeoutSeconds`.
 */
export async function waitUntilReady(
  incus: Incus,
  name: string,
  timeoutSeconds: number,
): Promise<void> {
  const script = [
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    'late() { [ "$(date +%s)" -ge "$deadline" ]; }',
    'until state=$(systemctl is-system-running 2>/dev/null); [ "$state" = running ] || [ "$state" = degraded ]; do',
    '  late && { echo "systemd is ${state:-not answering}" >&2; exit 1; }',
    '  sleep 0.1',
    'done',
    'until ip -4 -o addr show dev eth0 2>/dev/null | grep -q inet; do',
    '  late && { echo "eth0 has no IPv4 address" >&2; exit 1; }',
    '  sleep 0.1',
    'done',
  ].join('\n');
  await root(
    incus,
    name,
    `waiting for the container to boot (container.ready_timeout = ${timeoutSeconds}s)`,
    ['sh', '-c', script],
  );
}

export interface InsideSetup {
  codeUser: string;
  codeUid: number;
  /** Host owner of the workspace; the code user takes this uid so files keep their owner. */
  hostUid: number;
  timezone?: string;
  maxDuration?: string;
}

/** Root-side preparation: the code user's uid, git policy, time zone, the runtime limit. */
export async function prepareInside(incus: Incus, name: string, setup: InsideSetup): Promise<void> {
  const lines = ['set -e', 'git config --system user.useConfigOnly true'];
  const uid = setup.hostUid !== 0 && setup.hostUid !== setup.codeUid ? setup.hostUid : undefined;
  if (uid !== undefined) {
    lines.push(
      `usermod -u ${uid} ${setup.codeUser}`,
      `groupmod -g ${uid} ${setup.codeUser}`,
      `chown -R ${uid}:${uid} /home/${setup.codeUser}`,
    );
  }
  if (setup.timezone) {
    lines.push(
      `if [ -e /usr/share/zoneinfo/${setup.timezone} ]; then ln -sf /usr/share/zoneinfo/${setup.timezone} /etc/localtime; echo ${setup.timezone} > /etc/timezone; fi`,
    );
  }
  if (setup.maxDuration) {
    lines.push(
      `systemd-run --quiet --unit=coi-max-duration --on-active=${setup.maxDuration} /bin/systemctl poweroff`,
    );
  }
  await root(incus, name, 'preparing the container', ['sh', '-c', lines.join('\n')]);
}

/** The uid the code user has inside after prepareInside. */
export function effectiveCodeUid(setup: Pick<InsideSetup, 'hostUid' | 'codeUid'>): number {
  return setup.hostUid !== 0 && setup.hostUid !== setup.codeUid ? setup.hostUid : setup.codeUid;
}

/** Reads a file of the code user's home, undefined when it does not exist. */
export async function readHomeFile(
  incus: Incus,
  name: string,
  home: string,
  path: string,
): Promise<string | undefined> {
  const stat = await incus.files.stat(name, `${home}/${path}`);
  if (!stat || stat.type !== 'file') return undefined;
  return (await incus.files.pull(name, `${home}/${path}`, { maxBytes: 1 << 20 })).toString('utf8');
}

/** Writes files into the code user's home, owned by it. */
export async function writeHomeFiles(
  incus: Incus,
  name: string,
  home: string,
  uid: number,
  files: HomeFile[],
): Promise<void> {
  for (const file of files) {
    await incus.files.push(name, `${home}/${file.path}`, file.content, {
      uid,
      gid: uid,
      mode: 0o644,
      createParents: true,
    });
  }
}
