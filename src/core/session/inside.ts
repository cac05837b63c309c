import type { IncusApi } from '../../incus/index.js';
import type { HomeFile } from '../tools/types.js';
import { CoiError } from '../../shared/errors.js';
import { shellQuote as quote } from '../../shared/shell-quote.js';
import { etcHostsScript } from '../hosts/etc-hosts.js';
import { gitGuardsScript, type GitGuards } from './git-guards.js';
import { lowSysctls, sysctlCommand } from '../host/sysctl.js';
import { pinnedAddressHint, pinnedAddressWait } from './pinned-address.js';

export class SessionSetupError extends CoiError {}

export interface InsideSetup {
  /** The container's name, also its host name (the image may bring its own). */
  hostname: string;
  /** The IPv4 pinned on its NIC (`ipv4.address`): the network is up once eth0 holds it. */
  ipv4: string;
  codeUser: string;
  /** The uid the code user must have; it is changed (and the home re-owned) when the image differs. */
  codeUid: number;
  /** `[incus] code_uid`: the uid the image gives the code user. */
  imageUid: number;
  gitName?: string;
  gitEmail?: string;
  gitGuards: GitGuards;
  timezone?: string;
  /** `[[network.hosts]]`: coi's lines of /etc/hosts (none: coi's earlier lines removed). */
  hosts?: { ip: string; hostnames: string[] }[];
  /** `[limits.runtime] max_duration` with auto_stop: power off after this long. */
  maxDuration?: string;
  stopGraceful: boolean;
  readyTimeoutSeconds: number;
}

const ATTACH_RETRIES = 3;

/**
 * The whole root-side preparation as one shell script, so it costs one exec: host name, the code
 * user's uid, git policy and identity, time zone, named hosts, then the wait until eth0 holds its pinned
 * address and systemd has booted, then the runtime limit.
 * Exit 3 means "not ready in time"; anything else non-zero is a set-up step that failed.
 */
export function containerSetupScript(setup: InsideSetup): string {
  const lines = [
    'set -e',
    // A retried exec may run beside an attempt the daemon reported as not started: take turns.
    'if command -v flock >/dev/null; then exec 9>/run/coi-setup.lock; flock 9; fi',
    `echo ${setup.hostname} > /etc/hostname`,
    `hostname ${setup.hostname}`,
  ];
  if (setup.codeUid !== setup.imageUid) {
    const u = setup.codeUid;
    lines.push(
      `usermod -u ${u} ${setup.codeUser}`,
      `groupmod -g ${u} ${setup.codeUser}`,
      `chown -R ${u}:${u} /home/${setup.codeUser}`,
    );
  }
  lines.push('git config --system user.useConfigOnly true');
  if (setup.gitName) lines.push(`git config --system user.name ${quote(setup.gitName)}`);
  if (setup.gitEmail) lines.push(`git config --system user.email ${quote(setup.gitEmail)}`);
  lines.push(...gitGuardsScript(setup.gitGuards, `/home/${setup.codeUser}`));
  if (setup.timezone) {
    const zone = quote(`/usr/share/zoneinfo/${setup.timezone}`);
    lines.push(
      `if [ -e ${zone} ]; then ln -sf ${zone} /etc/localtime; echo ${quote(setup.timezone)} > /etc/timezone; fi`,
    );
  }
  lines.push(...etcHostsScript(setup.hosts ?? []));
  lines.push(
    `deadline=$(( $(date +%s) + ${setup.readyTimeoutSeconds} ))`,
    'late() { [ "$(date +%s)" -ge "$deadline" ]; }',
    ...pinnedAddressWait(setup.ipv4),
  );
  // Until systemd has finished booting, its cgroup moves can make the daemon fail to attach the
  // next exec ("Failed to retrieve PID of executing child process"): wait for that too.
  lines.push(
    'until state=$(systemctl is-system-running 2>/dev/null); [ "$state" = running ] || [ "$state" = degraded ]; do',
    // The boot's own complaint about a host limit, for the error (see bootLimitHint).
    '  late && { echo "systemd is ${state:-not answering}" >&2; journalctl -b -q --no-pager 2>/dev/null | grep -m 3 -E "Too many open files|inotify" >&2; exit 3; }',
    '  sleep 0.05',
    'done',
  );
  if (setup.maxDuration) {
    const poweroff = setup.stopGraceful ? 'poweroff' : 'poweroff --force';
    lines.push(
      `systemctl is-active --quiet coi-max-duration.timer || systemd-run --quiet --unit=coi-max-duration --on-active=${quote(setup.maxDuration)} /bin/systemctl ${poweroff}`,
    );
  }
  return lines.join('\n');
}

/** Prepares a freshly started container as root and waits until it is ready, in one exec. */
export async function prepareContainer(
  incus: IncusApi,
  name: string,
  setup: InsideSetup,
): Promise<void> {
  const command = ['sh', '-c', containerSetupScript(setup)];
  let result = await incus.exec.run(name, command);
  // -1: the daemon could not attach the command to a container that has only just started
  // (seen under parallel launches). The script may still have started, so it is idempotent and
  // serialised by a lock: trying again is safe.
  for (let retry = 1; result.exitCode === -1 && retry <= ATTACH_RETRIES; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * retry));
    result = await incus.exec.run(name, command);
  }
  if (result.exitCode === 0) return;
  const detail = result.stderr.toString().trim() || result.stdout.toString().trim();
  throw new SessionSetupError(
    result.exitCode === 3
      ? `${name} was not ready within ${setup.readyTimeoutSeconds}s (${detail}); ${bootLimitHint(detail) ?? pinnedAddressHint(detail) ?? 'raise [container] ready_timeout or check the image'}`
      : `preparing ${name} failed (exit ${result.exitCode}): ${detail}`,
  );
}

/**
 * What to do when the boot ran out of a host limit: systemd in each container takes inotify
 * instances, and a stock host's 128 stops the ~20th container from booting.
 */
export function bootLimitHint(detail: string, low = lowSysctls()): string | undefined {
  if (!/Too many open files|inotify/i.test(detail)) return undefined;
  const limits = low.filter((s) => s.key.startsWith('fs.inotify.'));
  const shown = limits.map((s) => `${s.key} = ${s.current}`).join(', ');
  return (
    `the host ran out of inotify instances${shown ? ` (${shown})` : ''}: run \`coi setup\`, ` +
    `which raises Incus's recommended kernel limits` +
    (limits.length ? `, or \`${sysctlCommand(limits)}\`` : '')
  );
}

/** Reads a file of the code user's home, undefined when it does not exist. */
export async function readHomeFile(
  incus: IncusApi,
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
  incus: IncusApi,
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
