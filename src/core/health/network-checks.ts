import { readFileSync } from 'node:fs';
import { defaultProfileTargets } from '../host/resources.js';
import { run } from '../../shared/run.js';
import { fail, ok, warn, withIncus, type HealthCheck } from './types.js';

export const networkChecks: HealthCheck[] = [
  {
    key: 'network_bridge',
    name: 'Bridge',
    category: 'networking',
    run: (env) =>
      withIncus(env, async (incus) => {
        const { bridge } = await defaultProfileTargets(incus.client);
        if (!bridge) return fail('the default profile has no NIC; `coi health --fix` adds one');
        const network = await incus.networks.find(bridge);
        if (!network) return fail(`bridge "${bridge}" of the default profile does not exist`);
        const address = network.config['ipv4.address'] ?? '';
        if (!address || address === 'none') return fail(`bridge "${bridge}" has no IPv4 address`);
        return ok(
          `${bridge} ${address}${network.config['ipv4.nat'] === 'false' ? ' (NAT off)' : ''}`,
          {
            bridge,
            address,
          },
        );
      }),
  },
  {
    key: 'ip_forwarding',
    name: 'IP forwarding',
    category: 'networking',
    run: () => {
      try {
        const on = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1';
        return on
          ? ok('net.ipv4.ip_forward = 1')
          : warn('net.ipv4.ip_forward = 0: containers cannot reach beyond the host');
      } catch (err) {
        return warn(`cannot read net.ipv4.ip_forward: ${(err as Error).message}`);
      }
    },
  },
  {
    key: 'nft',
    name: 'nftables',
    category: 'networking',
    run: async () => {
      try {
        const version = (await run('nft', ['--version'])).trim();
        await run('nft', ['list', 'tables']);
        return ok(`${version}, rules can be read`);
      } catch (err) {
        return fail(
          `nft is not usable (${(err as Error).message.split('\n')[0]}); network isolation needs it: install nftables and run as root`,
        );
      }
    },
  },
];
