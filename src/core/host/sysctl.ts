import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StepResult } from './resources.js';

/** A kernel setting and the value Incus's production set-up recommends (a floor: never lowered). */
export interface SysctlSetting {
  key: string;
  value: number;
}

/**
 * Incus's "server settings for a production setup", the ones a host with many containers runs
 * out of: every container's systemd takes inotify instances (a stock 128 stops the ~20th from
 * booting), a keyring and neighbour-table entries.
 */
export const INCUS_SYSCTLS: readonly SysctlSetting[] = [
  { key: 'fs.aio-max-nr', value: 524288 },
  { key: 'fs.inotify.max_queued_events', value: 1048576 },
  { key: 'fs.inotify.max_user_instances', value: 1048576 },
  { key: 'fs.inotify.max_user_watches', value: 1048576 },
  { key: 'kernel.keys.maxbytes', value: 2000000 },
  { key: 'kernel.keys.maxkeys', value: 2000 },
  { key: 'net.ipv4.neigh.default.gc_thresh3', value: 8192 },
  { key: 'net.ipv6.neigh.default.gc_thresh3', value: 8192 },
  { key: 'vm.max_map_count', value: 262144 },
];

export const SYSCTL_FILE = '/etc/sysctl.d/60-coi-incus.conf';

/** A setting below its recommended floor. */
export interface LowSysctl extends SysctlSetting {
  /** undefined: the kernel has no such setting (or it is unreadable). */
  current: number | undefined;
}

export interface SysctlPaths {
  /** /proc/sys */
  procSys: string;
  /** The /etc/sysctl.d file that keeps them across reboots. */
  file: string;
}

const DEFAULT_PATHS: SysctlPaths = { procSys: '/proc/sys', file: SYSCTL_FILE };

const procPath = (procSys: string, key: string) => join(procSys, ...key.split('.'));

/** The settings below Incus's recommendation on this host (missing ones left out). */
export function lowSysctls(paths: Pick<SysctlPaths, 'procSys'> = DEFAULT_PATHS): LowSysctl[] {
  return INCUS_SYSCTLS.flatMap((s) => {
    const current = readSysctl(paths.procSys, s.key);
    return current !== undefined && current < s.value ? [{ ...s, current }] : [];
  });
}

function readSysctl(procSys: string, key: string): number | undefined {
  try {
    const value = Number(readFileSync(procPath(procSys, key), 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `sudo sysctl -w …` for the settings, for messages. */
export function sysctlCommand(settings: readonly SysctlSetting[]): string {
  return `sudo sysctl -w ${settings.map((s) => `${s.key}=${s.value}`).join(' ')}`;
}

/**
 * Raises what is below the recommendation now (/proc/sys) and for later boots (one file under
 * /etc/sysctl.d naming only what was raised, merged with what an earlier run wrote). A setting
 * the kernel refuses, or a host where coi may not write, is a warning with the command to run.
 */
export function ensureSysctls(
  paths: SysctlPaths = DEFAULT_PATHS,
  write: (path: string, text: string) => void = writeFileSync,
): StepResult {
  const low = lowSysctls(paths);
  if (low.length === 0)
    return { name: 'sysctl', status: 'ok', message: "Incus's recommended kernel limits in place" };
  const raised: LowSysctl[] = [];
  const refused: string[] = [];
  for (const s of low) {
    try {
      write(procPath(paths.procSys, s.key), `${s.value}\n`);
      raised.push(s);
    } catch (err) {
      refused.push(`${s.key} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  let kept = '';
  if (raised.length > 0) {
    try {
      persist(paths.file, raised);
      kept = ` (kept in ${paths.file})`;
    } catch (err) {
      kept = ` (not kept across reboots: ${paths.file}: ${(err as Error).message})`;
    }
  }
  const done = raised.map((s) => `${s.key} ${s.current} → ${s.value}`).join(', ');
  if (refused.length === 0)
    return { name: 'sysctl', status: 'done', message: `raised ${done}${kept}` };
  return {
    name: 'sysctl',
    status: 'warn',
    message:
      `${raised.length ? `raised ${done}${kept}; ` : ''}could not raise ${refused.join(', ')}: ` +
      `many containers may fail to boot; run \`${sysctlCommand(low.filter((s) => !raised.includes(s)))}\``,
  };
}

function persist(file: string, raised: readonly SysctlSetting[]): void {
  const values = new Map(parseSysctlFile(readOr(file)).map((s) => [s.key, s.value]));
  for (const s of raised) values.set(s.key, Math.max(s.value, values.get(s.key) ?? 0));
  const lines = INCUS_SYSCTLS.filter((s) => values.has(s.key)).map(
    (s) => `${s.key} = ${values.get(s.key)}`,
  );
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(
    temp,
    "# Written by coi setup: Incus's recommended limits for a host with many containers.\n" +
      `${lines.join('\n')}\n`,
  );
  renameSync(temp, file);
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** `key = value` lines of a sysctl.d file (comments and other lines skipped). */
export function parseSysctlFile(text: string): SysctlSetting[] {
  return text.split('\n').flatMap((line) => {
    const m = /^\s*([a-z0-9_.-]+)\s*=\s*(\d+)\s*$/i.exec(line);
    return m ? [{ key: m[1]!, value: Number(m[2]) }] : [];
  });
}
