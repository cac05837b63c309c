import { createHash } from 'node:crypto';

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
  /** Shell run inside the rootfs (chroot) after debootstrap. */
  configure: string;
}

export const baseImageRecipe: BaseImageRecipe = {
  suite: 'bookworm',
  variant: 'minbase',
  packages: [
    'bash',
    'ca-certificates',
    'curl',
    'git',
    'ifupdown',
    'iproute2',
    'isc-dhcp-client',
    'netcat-openbsd',
    'procps',
    'python3-minimal',
    'socat',
    'sudo',
    'systemd-sysv',
    'tmux',
  ],
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

export function recipeHash(recipe: BaseImageRecipe): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 8);
}

/** The alias the base image is imported under; it carries the recipe version. */
export function baseImageAlias(recipe: BaseImageRecipe = baseImageRecipe): string {
  return `coi-base-${recipe.suite}-${recipeHash(recipe)}`;
}
