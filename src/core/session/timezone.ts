import { readlinkSync } from 'node:fs';

/** The host's IANA time zone: TZ, /etc/localtime's target, or what Intl reports. */
export function hostTimezone(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TZ && !env.TZ.startsWith(':')) return env.TZ;
  try {
    const target = readlinkSync('/etc/localtime');
    const m = /zoneinfo\/(.+)$/.exec(target);
    if (m?.[1]) return m[1];
  } catch {
    // not a symlink: fall through
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}
