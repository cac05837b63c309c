import type { IncusApi } from '../../incus/index.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import { applyHosts } from '../../security/network/index.js';
import { CoiError } from '../../shared/errors.js';
import { coiKeysConfig, readCoiKeys, type RecordedHost } from '../../shared/instance-keys.js';
import { pinnedAddresses } from '../../shared/instance-network.js';
import { isIpv4 } from '../../shared/ipv4.js';
import { parsePortList, PortListError, type PortSpec } from '../../shared/ports.js';
import { HOSTNAME } from '../config/schema.js';
import { etcHostsScript } from './etc-hosts.js';

/**
 * `coi hosts`: the named hosts of a running container, changed live. The list recorded on the
 * container (`user.coi.hosts`) is the truth; each change rewrites the container's host sets in
 * coi's firewall (restricted and allowlist mode), its /etc/hosts lines, then the record.
 */

/** The entry `coi hosts add <ip> <hostname...> [--ports]` describes; usage errors if malformed. */
export function hostFromArguments(ip: string, hostnames: string[], ports?: string): RecordedHost {
  if (!isIpv4(ip))
    throw new CoiError(`"${ip}" is not an IPv4 address (a.b.c.d), the host's address`, 'usage');
  const bad = hostnames.find((name) => !HOSTNAME.test(name));
  if (bad !== undefined)
    throw new CoiError(
      `"${bad}" is not a host name (letters, digits, - and ., like nas.lan)`,
      'usage',
    );
  return { ip, hostnames: [...new Set(hostnames)], ports: ports ? portsOption(ports) : [] };
}

function portsOption(text: string): PortSpec[] {
  try {
    return parsePortList(text);
  } catch (err) {
    if (err instanceof PortListError)
      throw new CoiError(
        `--ports ${text}: ${err.message} (for example --ports 80,8000-8100)`,
        'usage',
      );
    throw err;
  }
}

export async function listHosts(incus: IncusApi, container: string): Promise<RecordedHost[]> {
  return readCoiKeys((await instance(incus, container)).value.config).hosts;
}

/** Adds the entry; its host names leave any entry that had them. Returns the new list. */
export async function addHost(
  incus: IncusApi,
  container: string,
  entry: RecordedHost,
): Promise<RecordedHost[]> {
  return changeHosts(incus, container, (hosts) => [...withoutNames(hosts, entry.hostnames), entry]);
}

/** Removes a host name (its entry goes with its last name). Returns the new list. */
export async function removeHost(
  incus: IncusApi,
  container: string,
  hostname: string,
): Promise<RecordedHost[]> {
  return changeHosts(incus, container, (hosts) => {
    if (!hosts.some((h) => h.hostnames.includes(hostname)))
      throw new CoiError(
        `${container} has no named host "${hostname}"; \`coi hosts list ${container}\` shows them`,
        'usage',
      );
    return withoutNames(hosts, [hostname]);
  });
}

function withoutNames(hosts: RecordedHost[], names: readonly string[]): RecordedHost[] {
  return hosts
    .map((h) => ({ ...h, hostnames: h.hostnames.filter((n) => !names.includes(n)) }))
    .filter((h) => h.hostnames.length > 0);
}

async function changeHosts(
  incus: IncusApi,
  container: string,
  change: (hosts: RecordedHost[]) => RecordedHost[],
): Promise<RecordedHost[]> {
  const { value } = await instance(incus, container);
  if (value.status !== 'Running')
    throw new CoiError(
      `${container} is ${value.status.toLowerCase()}; named hosts change on a running container ` +
        '(use [[network.hosts]] in the config for every launch)',
      'usage',
    );
  const keys = readCoiKeys(value.config);
  const hosts = change(keys.hosts);
  if (keys.networkMode !== 'open') {
    const ip = pinnedAddresses(value)[0];
    if (!ip)
      throw new CoiError(`${container} has no IPv4 address pinned on its NIC for coi's rules`);
    await applyHosts(container, ip, hosts);
  }
  const result = await incus.exec.run(container, ['sh', '-ec', etcHostsScript(hosts).join('\n')]);
  if (result.exitCode !== 0)
    throw new CoiError(
      `updating /etc/hosts in ${container} failed (exit ${result.exitCode}): ` +
        (result.stderr.toString().trim() || result.stdout.toString().trim()),
    );
  await incus.instances.patch(container, { config: coiKeysConfig({ hosts }) });
  return hosts;
}

async function instance(incus: IncusApi, container: string) {
  try {
    return await incus.instances.get(container);
  } catch (err) {
    if (err instanceof IncusNotFoundError)
      throw new CoiError(
        `no container "${container}"; \`coi list\` shows the coi containers`,
        'usage',
      );
    throw err;
  }
}
