import { writeFileSync } from 'node:fs';
import { findExecutable, isRoot, readOsRelease, type OsRelease } from './platform.js';
import { mirrorFor, readAptSources } from './apt-sources.js';
import { openLog, run } from '../../shared/run.js';
import type { Progress } from '../progress.js';
import { CoiError } from '../../shared/errors.js';

/** What coi needs on the host: a package and a binary proving it is installed. */
const requirements = [
  { pkg: 'incus', bin: 'incusd', dirs: ['/usr/libexec/incus', '/usr/lib/incus'] },
  { pkg: 'nftables', bin: 'nft', dirs: [] },
  { pkg: 'debootstrap', bin: 'debootstrap', dirs: [] },
  { pkg: 'btrfs-progs', bin: 'mkfs.btrfs', dirs: [] },
  { pkg: 'conntrack', bin: 'conntrack', dirs: [] },
  { pkg: 'tmux', bin: 'tmux', dirs: [] },
  { pkg: 'inotify-tools', bin: 'inotifywait', dirs: [] },
] as const;

export class HostSetupError extends CoiError {}

export function incusdPath(): string | undefined {
  return findExecutable('incusd', ['/usr/libexec/incus', '/usr/lib/incus']);
}

/** Every host package coi needs. */
export const requiredPackages = (): string[] => requirements.map((r) => r.pkg);

function missingPackages(): string[] {
  return requirements.filter((r) => !findExecutable(r.bin, [...r.dirs])).map((r) => r.pkg);
}

const isDebian12 = (os: OsRelease) => os.id === 'debian' && os.versionId === '12';

/** The commands a user of another distribution runs by hand. */
export function manualInstallHint(os: OsRelease, pkgs: string[]): string {
  const list = pkgs.join(' ');
  const family = [os.id, ...os.idLike];
  if (family.includes('debian') || family.includes('ubuntu')) {
    return `sudo apt-get update && sudo apt-get install -y ${list}\n(Incus is in Debian 13+ and Ubuntu 24.04+; on Debian 12 enable bookworm-backports and add -t bookworm-backports)`;
  }
  if (family.includes('fedora') || family.includes('rhel')) {
    return `sudo dnf install -y ${list.replace('conntrack', 'conntrack-tools')}`;
  }
  if (family.includes('arch'))
    return `sudo pacman -S --needed ${list.replace('conntrack', 'conntrack-tools')}`;
  if (family.includes('alpine'))
    return `sudo apk add ${list.replace('conntrack', 'conntrack-tools')}`;
  return `install these packages with your distribution's package manager: ${list}`;
}

const BACKPORTS_FILE = '/etc/apt/sources.list.d/coi-bookworm-backports.sources';

function ensureBackportsSource(): void {
  const sources = readAptSources();
  if (sources.some((s) => s.suites.includes('bookworm-backports'))) return;
  const main = mirrorFor('bookworm', sources);
  if (!main) {
    throw new HostSetupError(
      'no apt source for Debian bookworm found; cannot add bookworm-backports',
    );
  }
  writeFileSync(
    BACKPORTS_FILE,
    [
      'Types: deb',
      `URIs: ${main.uri}`,
      'Suites: bookworm-backports',
      'Components: main',
      `Signed-By: ${main.signedBy ?? '/usr/share/keyrings/debian-archive-keyring.gpg'}`,
      '',
    ].join('\n'),
  );
}

/**
 * Installs what is missing. Only as root on Debian 12 (Incus from bookworm-backports); anywhere else
 * it stops with the exact commands to run.
 */
export async function ensurePackages(progress: Progress, logPath: string): Promise<string[]> {
  const missing = missingPackages();
  if (missing.length === 0) return [];
  const os = readOsRelease();
  if (!isRoot() || !isDebian12(os)) {
    throw new HostSetupError(
      `coi needs ${missing.join(', ')} on ${os.prettyName}, which ${missing.length > 1 ? 'are' : 'is'} not installed.\nRun:\n  ${manualInstallHint(os, missing)}\nthen run this command again.`,
    );
  }
  progress.step(`Installing ${missing.join(', ')} from Debian (log: ${logPath})`);
  const log = openLog(logPath);
  try {
    const needsBackports = missing.includes('incus');
    if (needsBackports) ensureBackportsSource();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { log, env });
    progress.update(0.3, 'apt-get install');
    await run(
      'apt-get',
      ['install', '-y', ...(needsBackports ? ['-t', 'bookworm-backports'] : []), ...missing],
      { log, env, onLine: (line) => progress.update(0.5, line) },
    );
  } finally {
    log.end();
  }
  const still = missingPackages();
  if (still.length) {
    throw new HostSetupError(
      `apt-get finished but ${still.join(', ')} is still missing; see ${logPath}`,
    );
  }
  return missing;
}
