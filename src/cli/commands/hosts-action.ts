import {
  addHost,
  hostFromArguments,
  listHosts,
  removeHost,
} from '../../core/hosts/runtime-hosts.js';
import type { RecordedHost } from '../../shared/instance-keys.js';
import { portText } from '../../shared/ports.js';
import { withContext } from '../context.js';
import { outputFormat, printJson } from '../output.js';
import { formatTable } from '../table.js';
import type { HostsListFlags } from './hosts.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

function portsText(host: RecordedHost): string {
  return host.ports.length === 0 ? 'all' : host.ports.map(portText).join(',');
}

export async function hostsAddAction(
  container: string,
  ip: string,
  hostnames: string[],
  ports: string | undefined,
): Promise<void> {
  const entry = hostFromArguments(ip, hostnames, ports);
  await withContext({}, async (ctx) => {
    await addHost(ctx.incus, container, entry);
    say(`Added ${entry.hostnames.join(', ')} → ${ip} (ports: ${portsText(entry)}) to ${container}`);
  });
}

export async function hostsListAction(container: string, flags: HostsListFlags): Promise<void> {
  const format = outputFormat(flags);
  await withContext({}, async (ctx) => {
    const hosts = await listHosts(ctx.incus, container);
    if (format === 'json') return printJson(hosts);
    if (hosts.length === 0) return say(`${container} has no named hosts`);
    const rows = hosts.flatMap((h) => h.hostnames.map((name) => [name, h.ip, portsText(h)]));
    process.stdout.write(`${formatTable(['HOSTNAME', 'IP', 'PORTS'], rows)}\n`);
  });
}

export async function hostsRemoveAction(container: string, hostname: string): Promise<void> {
  await withContext({}, async (ctx) => {
    await removeHost(ctx.incus, container, hostname);
    say(`Removed ${hostname} from ${container}`);
  });
}
