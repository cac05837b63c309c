import { readFileSync } from 'node:fs';
import { defaultProfileTargets } from '../host/resources.js';
import { run } from '../../shared/run.js';
import { fail, ok, warn, withIncus, type HealthCheck } from './types.js';
import { olderThan } from './version.js';

/** coi's ruleset uses sets of address and port ranges together (interval concatenations). */
const MIN_NFT: [number, number, number] = [0, 9, 4];

/** `nftables v1.0.6 (Lester Gooch #5)` → [1, 0, 6]; undefined when unreadable. */
export function nftVersion(text: string): [number, number, number] | undefined {
  const m = /v(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** The verdict on `nft --version`'s output, once nft is known to list rules. */
export function nftVerdict(text: string) {
  const version = nftVersion(text);
  if (!version) return warn(`${text}: version not recognised; coi needs ${MIN_NFT.join('.')}+`);
  const shown = version.join('.');
  return olderThan(version, MIN_NFT)
    ? warn(
        `nftables ${shown} is older than ${MIN_NFT.join('.')}: coi's allowlist sets of address and port ranges need it`,
        { version: shown },
      )
    : ok(`nftables ${shown}, rules can be read`, { version: shown });
}

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
    manualFix: () => 'enable it: `sudo sysctl -w net.ipv4.ip_forward=1` (and in /etc/sysctl.d/)',
  },
  {
    key: 'nft',
    name: 'nftables',
    category: 'networking',
    run: async () => {
      try {
        const version = (await run('nft', ['--version'])).trim();
        await run('nft', ['list', 'tables']);
        return nftVerdict(version);
      } catch (err) {
        return fail(
          `nft is not usable (${(err as Error).message.split('\n')[0]}); network isolation needs it: install nftables and run as root`,
        );
      }
    },
    manualFix: (r) =>
      r.status === 'failed' ? 'install nftables and run coi as root' : 'upgrade nftables',
  },
];
