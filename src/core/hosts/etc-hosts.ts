import { shellQuote } from '../../shared/shell-quote.js';

/** Ends every /etc/hosts line coi writes, so it can replace its own lines and only those. */
export const ETC_HOSTS_MARK = '# coi-hosts';

/**
 * Shell lines (run as root inside) that make coi's lines of /etc/hosts exactly one per entry:
 * `ip hostname…`. Lines coi wrote before (an earlier launch, `coi hosts`) go first. An image
 * without /etc/hosts gets one only when there is an entry to write.
 */
export function etcHostsScript(hosts: readonly { ip: string; hostnames: string[] }[]): string[] {
  const lines = [`[ ! -e /etc/hosts ] || sed -i '/ ${ETC_HOSTS_MARK}$/d' /etc/hosts`];
  if (hosts.length === 0) return lines;
  const entries = hosts.map((h) => `${h.ip} ${h.hostnames.join(' ')} ${ETC_HOSTS_MARK}`);
  lines.push(`printf '%s\\n' ${entries.map(shellQuote).join(' ')} >> /etc/hosts`);
  return lines;
}
