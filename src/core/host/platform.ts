import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface OsRelease {
  id: string;
  versionId: string;
  idLike: string[];
  prettyName: string;
}

export function readOsRelease(path = '/etc/os-release'): OsRelease {
  const fields = new Map<string, string>();
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) fields.set(m[1], m[2].replace(/^"|"$/g, ''));
    }
  }
  return {
    id: fields.get('ID') ?? 'unknown',
    versionId: fields.get('VERSION_ID') ?? '',
    idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    prettyName: fields.get('PRETTY_NAME') ?? 'an unknown Linux',
  };
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** True when systemd runs as PID 1 (it then owns incusd through incus.socket/incus.service). */
export function systemdIsInit(): boolean {
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
  } catch {
    // No /proc to read PID 1 from (a restricted sandbox): not a systemd host coi can rely on.
    return false;
  }
}

/** The first executable named `name` on PATH or in the extra directories. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
