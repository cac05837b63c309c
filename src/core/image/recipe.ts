import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The offline base image: Debian 12 built with debootstrap from the distro's own archive, the only
 * source of a root filesystem that works on machines without an image server.
 * Anything that changes the built image belongs here, because the alias is derived from it and an
 * image is rebuilt exactly when its recipe changes.
 */
export interface BaseImageRecipe {
  suite: string;
  variant: string;
  packages: string[];
  /** Files copied from assets/image into the rootfs: asset name → absolute path and mode. */
  files: Record<string, { path: string; mode: number }>;
  /** Shell run inside the rootfs (chroot) after debootstrap. */
  configure: string;
}

/** A recipe with more than debootstrap can include: apt and npm packages on top. */
export interface ImageRecipe extends BaseImageRecipe {
  /** Installed with apt in a chroot after debootstrap (the host's mirror and network). */
  aptPackages?: string[];
  /** Installed with the host's npm into the rootfs's /usr/local (before `configure`). */
  npmPackages?: string[];
}

export const baseImageRecipe: BaseImageRecipe = {
  suite: 'bookworm',
  variant: 'minbase',
  packages: [
    'bash',
    'bind9-dnsutils',
    'ca-certificates',
    'curl',
    'git',
    'ifupdown',
    'iproute2',
    'iputils-ping',
    'isc-dhcp-client',
    'make',
    'netcat-openbsd',
    'procps',
    'python3-minimal',
    'socat',
    'sudo',
    'systemd-sysv',
    'tmux',
  ],
  files: {
    // The scripted stand-in agent the tests drive instead of a real agent CLI.
    'coi-standin': { path: '/usr/local/bin/coi-standin', mode: 0o755 },
  },
  configure: [
    'set -e',
    "printf 'auto lo\\niface lo inet loopback\\n\\nauto eth0\\niface eth0 inet dhcp\\n' > /etc/network/interfaces",
    'echo coi > /etc/hostname',
    'getent passwd code >/dev/null || useradd --uid 1000 --create-home --shell /bin/bash code',
    "echo 'code ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/90-code",
    'chmod 0440 /etc/sudoers.d/90-code',
    "printf 'set -g history-limit 50000\\nset -sg escape-time 10\\n' > /etc/tmux.conf",
    'apt-get clean',
    'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin',
  ].join('\n'),
};

/** Where the recipe's files live: assets/image, from src/ or dist/ alike. */
export const recipeAssetsDir = fileURLToPath(new URL('../../../assets/image/', import.meta.url));

export function recipeHash(recipe: ImageRecipe): string {
  const hash = createHash('sha256').update(JSON.stringify(recipe));
  for (const name of Object.keys(recipe.files).sort())
    hash.update(readFileSync(recipeAssetsDir + name));
  return hash.digest('hex').slice(0, 8);
}

/** The alias the base image is imported under; it carries the recipe version. */
export function baseImageAlias(recipe: BaseImageRecipe = baseImageRecipe): string {
  return `coi-base-${recipe.suite}-${recipeHash(recipe)}`;
}
