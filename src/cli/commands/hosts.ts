import type { Command } from 'commander';
import { addFormatOptions } from '../options/format.js';

export interface HostsListFlags {
  format?: string;
  json?: boolean;
}

const action = () => import('./hosts-action.js');

export function registerHosts(program: Command): void {
  const hosts = program
    .command('hosts')
    .description(
      'named hosts a running container may reach: an /etc/hosts entry and a firewall hole each',
    );
  hosts
    .command('add')
    .description('let a running container reach a host by name (only the listed ports, if any)')
    .argument('<container>', 'the container')
    .argument('<ip>', 'the host’s IPv4 address')
    .argument('<hostname...>', 'names for it in the container’s /etc/hosts')
    .option('--ports <ports>', 'ports or ranges it may reach, e.g. 5432,8000-8100 (default: all)')
    .action(async (container: string, ip: string, names: string[], flags: { ports?: string }) =>
      (await action()).hostsAddAction(container, ip, names, flags.ports),
    );
  addFormatOptions(
    hosts
      .command('list')
      .description('the named hosts of a container')
      .argument('<container>', 'the container'),
  ).action(async (container: string, flags: HostsListFlags) =>
    (await action()).hostsListAction(container, flags),
  );
  hosts
    .command('remove')
    .description('take a host name away again (its firewall hole goes with its last name)')
    .argument('<container>', 'the container')
    .argument('<hostname>', 'the name to remove')
    .action(async (container: string, hostname: string) =>
      (await action()).hostsRemoveAction(container, hostname),
    );
}
