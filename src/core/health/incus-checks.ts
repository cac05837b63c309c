import { resolveSocketPath, socketWritable } from '../../incus/socket.js';
import { fail, ok, warn, withIncus, type HealthCheck, type HealthEnv } from './types.js';
import { olderThan } from './version.js';

const MIN_INCUS: [number, number] = [6, 0];
const IMAGE_OLD_DAYS = 30;

/** An image older than a month misses a month of agent and package updates. */
export function imageAgeVerdict(alias: string, createdAt: string, now = Date.now()) {
  const days = Math.floor((now - Date.parse(createdAt)) / 86_400_000);
  return days > IMAGE_OLD_DAYS
    ? warn(`${alias} is ${days} days old; \`coi build --force\` refreshes it`, { days })
    : ok(`${days} day(s) old`, { days });
}

export const incusChecks: HealthCheck[] = [
  {
    key: 'incus',
    name: 'Incus',
    category: 'critical',
    run: (env) => {
      if (!env.server)
        return fail(`not reachable: ${env.incusError ?? '?'}; \`coi health --fix\` starts it`);
      const version = env.server.environment?.server_version ?? '?';
      if (olderThan(version.split('.').map(Number), MIN_INCUS))
        return fail(
          `version ${version} is too old; coi needs Incus ${MIN_INCUS.join('.')} or later`,
        );
      return ok(`running, version ${version}`, { version });
    },
  },
  {
    key: 'permissions',
    name: 'Incus access',
    category: 'critical',
    run: (env) => {
      if (env.server && env.server.auth !== 'trusted')
        return fail('the daemon does not trust this user; add it to the incus-admin group');
      // The socket the client connects to; connecting needs write access only.
      const socket = resolveSocketPath();
      if (socketWritable(socket)) return ok(`${socket} is usable by this user`);
      return env.server
        ? ok('trusted by the daemon')
        : fail(`${socket} is not usable; run as root or join the incus-admin group`);
    },
    manualFix: () =>
      'add yourself to the incus-admin group (`sudo usermod -aG incus-admin $USER`), then log in again',
  },
  {
    key: 'image',
    name: 'Default image',
    category: 'critical',
    run: (env) =>
      withIncus(env, async (incus) => {
        const alias = configuredImage(env);
        const image = await incus.images.findByAlias(alias);
        return image
          ? ok(`${alias} (${image.fingerprint.slice(0, 12)})`)
          : fail(`image "${alias}" is missing; run \`coi build\``);
      }),
    manualFix: (r) =>
      r.message.includes('coi-default')
        ? undefined
        : 'build it: `coi build --profile <profile>` or `coi build --all`',
  },
  {
    key: 'image_age',
    name: 'Image age',
    category: 'critical',
    run: (env) =>
      withIncus(env, async (incus) => {
        const alias = configuredImage(env);
        const image = await incus.images.findByAlias(alias);
        return image
          ? imageAgeVerdict(alias, image.created_at)
          : warn(`no image "${alias}" to age`);
      }),
    manualFix: (r) =>
      r.status === 'warning' && r.details ? 'rebuild the image: `coi build --force`' : undefined,
  },
  {
    key: 'privileged_profile',
    name: 'Privileged profile',
    category: 'critical',
    run: (env) =>
      withIncus(env, async (incus) => {
        const profile = await incus.profiles.get('default');
        return profile.config['security.privileged'] === 'true'
          ? fail(
              'the default profile sets security.privileged=true: containers would run as host root',
            )
          : ok('containers are unprivileged');
      }),
    manualFix: () => 'unset it: `incus profile unset default security.privileged`',
  },
  {
    key: 'security_posture',
    name: 'Security posture',
    category: 'critical',
    run: (env) =>
      withIncus(env, async (incus) => {
        const config = (await incus.profiles.get('default')).config;
        const details = {
          privileged: config['security.privileged'] === 'true',
          raw_lxc_override: !!config['raw.lxc'],
          raw_seccomp_override: !!config['raw.seccomp'],
          raw_apparmor_override: !!config['raw.apparmor'],
        };
        if (details.privileged) return fail('privileged containers', details);
        const overrides = Object.entries(details)
          .filter(([k, v]) => k.endsWith('_override') && v)
          .map(([k]) => k.replace('_override', '').replace('_', '.'));
        return overrides.length
          ? warn(`the default profile overrides ${overrides.join(', ')}`, details)
          : ok('unprivileged, default seccomp and AppArmor policy', details);
      }),
    manualFix: () => 'review the raw.* keys of the default profile: `incus profile show default`',
  },
];

/** The image the config names, or the default when the config could not be read. */
function configuredImage(env: HealthEnv): string {
  return 'loaded' in env.config ? env.config.loaded.config.container.image : 'coi-default';
}
