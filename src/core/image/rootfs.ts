import { readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { WriteStream } from 'node:fs';
import { run } from '../../shared/run.js';
import type { Progress } from '../progress.js';
import { recipeAssetsDir, type BaseImageRecipe } from './recipe.js';

const CHROOT_ENV = {
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  DEBIAN_FRONTEND: 'noninteractive',
  LANG: 'C.UTF-8',
};

/** Packages installed with apt inside the debootstrapped rootfs (chroot, host network). */
export async function aptInstall(
  rootfs: string,
  packages: string[],
  log: WriteStream,
  progress: Progress,
): Promise<void> {
  // Services must not start inside the chroot; the machine's apt transport settings apply.
  const policy = join(rootfs, 'usr/sbin/policy-rc.d');
  const aptConf = join(rootfs, 'etc/apt/apt.conf.d/99coi-build-host');
  const resolv = join(rootfs, 'etc/resolv.conf');
  await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  await writeFile(aptConf, hostAcquireSettings());
  await rm(resolv, { force: true });
  await copyFile('/etc/resolv.conf', resolv);
  try {
    progress.update(0.05, 'apt-get update');
    await run('chroot', [rootfs, 'apt-get', 'update'], { log, env: CHROOT_ENV });
    let unpacked = 0;
    await run(
      'chroot',
      [rootfs, 'apt-get', 'install', '-y', '--no-install-recommends', ...packages],
      {
        log,
        env: CHROOT_ENV,
        onLine(line) {
          const m = /^(Get|Unpacking|Setting up) (\S+)/.exec(line);
          if (!m) return;
          if (m[1] === 'Unpacking') unpacked++;
          progress.update(Math.min(0.95, 0.1 + unpacked / 400), `${m[1]} ${m[2]}`);
        },
      },
    );
    await run('chroot', [rootfs, 'apt-get', 'clean'], { log, env: CHROOT_ENV });
  } finally {
    await rm(policy, { force: true });
    await rm(aptConf, { force: true });
    await rm(resolv, { force: true });
    await rm(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    await mkdir(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
  }
}

/** `Acquire::` settings of the host's apt (e.g. a snapshot mirror's date checks), for the chroot. */
function hostAcquireSettings(dir = '/etc/apt/apt.conf.d'): string {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    try {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n'))
        if (/^\s*Acquire::[\w:-]+\s+"[^"]*";\s*$/.test(line)) lines.push(line.trim());
    } catch {
      // unreadable or a directory: nothing to take from it
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * npm packages installed on the host into the rootfs's /usr/local (containers have no way to the
 * registry; the host has). Their install scripts run on the host, which has the same architecture.
 */
export async function npmInstall(
  rootfs: string,
  packages: string[],
  log: WriteStream,
  progress: Progress,
): Promise<void> {
  progress.update(0.1, `npm install ${packages.join(' ')}`);
  // --prefix moves npm's global config file into the rootfs too; keep the host's (registry, CA).
  const globalconfig = (await run('npm', ['config', 'get', 'globalconfig'])).trim();
  await run(
    'npm',
    [
      'install',
      '--global',
      '--globalconfig',
      globalconfig,
      '--prefix',
      join(rootfs, 'usr/local'),
      '--no-fund',
      '--no-audit',
      ...packages,
    ],
    { log, onLine: (line) => progress.update(0.5, line.slice(0, 60)) },
  );
}

/** Copies the recipe's asset files into the rootfs with their modes. */
export async function copyRecipeFiles(rootfs: string, recipe: BaseImageRecipe): Promise<void> {
  for (const [name, file] of Object.entries(recipe.files)) {
    const target = join(rootfs, file.path);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(recipeAssetsDir, name), target);
    await chmod(target, file.mode);
  }
}

export async function chrootShell(rootfs: string, script: string, log: WriteStream): Promise<void> {
  await run('chroot', [rootfs, '/bin/sh', '-c', script], { log, env: CHROOT_ENV });
}

const TAR_COMPRESSION: Record<string, string[]> = {
  none: [],
  gzip: ['--gzip'],
  xz: ['--xz'],
  zstd: ['--zstd'],
  bzip2: ['--bzip2'],
};

/** `tar` flags for `[container.build] compression`; default none (fast, the pool stores it anyway). */
export function tarCompression(compression: string | undefined): string[] {
  const flags = TAR_COMPRESSION[compression ?? 'none'];
  if (!flags) {
    throw new Error(
      `[container.build] compression: expected one of ${Object.keys(TAR_COMPRESSION).join(', ')}, got "${compression}"`,
    );
  }
  return flags;
}
