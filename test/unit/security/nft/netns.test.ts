import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../../src/shared/run.js';
import {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  renderBase,
  renderContainer,
  renderGate,
  renderHosts,
  renderLearned,
  renderRemoval,
  type HostNetwork,
  type NetworkPolicy,
} from '../../../../src/security/nft/index.js';
import { renderProxyTargets } from '../../../../src/security/nft/proxy.js';

/**
 * The ruleset against real packets, in throwaway network and mount namespaces (nothing on the host
 * changes): a bridge with the gateway, "containers" c5/c6/c7 as namespaces on veths, an "internet"
 * namespace behind the host, and 192.168.1.1 as one of the host's own LAN addresses. Listeners
 * answer on the ports probed, so a TCP connect tells the verdict apart: `open` went through,
 * `refused` is coi's reject (a TCP reset), `timeout` a drop.
 */

const HOST: HostNetwork = {
  bridge: 'incusbr0',
  gateway: '10.99.0.1',
  resolver: { address: '10.99.0.1', port: 5353 },
};

const LAB = `
set -e
mount --make-rprivate /
mkdir -p /run/netns
mount -t tmpfs none /run/netns
ip link set lo up
ip addr add 192.168.1.1/32 dev lo
sysctl -qw net.ipv4.ip_forward=1
ip link add incusbr0 type bridge
ip addr add 10.99.0.1/24 dev incusbr0
ip link set incusbr0 up
ip netns add inet
ip link add upl type veth peer name upl-in netns inet
ip addr add 203.0.113.1/24 dev upl
ip link set upl up
ip route add default via 203.0.113.2
ip -n inet addr add 203.0.113.2/24 dev upl-in
ip -n inet addr add 203.0.113.3/24 dev upl-in
ip -n inet link set upl-in up
ip -n inet route add 10.99.0.0/24 via 203.0.113.1
for c in 5 6 7; do
  ip netns add c$c
  ip link add v$c type veth peer name eth0 netns c$c
  ip link set v$c master incusbr0 up
  ip -n c$c addr add 10.99.0.$c/24 dev eth0
  ip -n c$c link set eth0 up
  ip -n c$c route add default via 10.99.0.1
done
listen() { # namespace, JSON list of [host, port]
  ready="$(mktemp)"
  ip netns exec "$1" node -e '
    const net = require("net");
    const pairs = JSON.parse(process.argv[1]);
    Promise.all(pairs.map(([h, p]) => new Promise((r) => net.createServer((s) => s.destroy()).listen(p, h, r))))
      .then(() => console.log("ready"));' "$2" > "$ready" &
  for i in $(seq 100); do grep -q ready "$ready" && return; sleep 0.05; done
  echo "listeners in $1 did not start" >&2; exit 1
}
trap 'kill $(jobs -p) 2>/dev/null' EXIT
ip netns attach host $$
listen host '[["10.99.0.1", 22], ["10.99.0.1", 5353], ["10.99.0.1", 40001], ["192.168.1.1", 80], ["192.168.1.1", 53]]'
listen inet '[["203.0.113.2", 80], ["203.0.113.2", 443], ["203.0.113.2", 53], ["203.0.113.3", 80]]'
probe() {
  if out=$(ip netns exec "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3" 2>&1); then r=open
  else case "$out" in *refused*) r=refused;; '') r=timeout;; *) r="other($out)";; esac
  fi
  echo "$1 $2:$3 $r"
}
`;

type Step = { apply: string } | { probe: [ns: string, host: string, port: number] };

const work = mkdtempSync(join(tmpdir(), 'coi-nft-lab-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function lab(steps: Step[]): Promise<string[]> {
  const script = [LAB];
  steps.forEach((step, i) => {
    if ('apply' in step) {
      const file = join(work, `step-${i}.nft`);
      writeFileSync(file, step.apply);
      script.push(`nft -f ${file}`);
    } else script.push(`probe ${step.probe.join(' ')}`);
  });
  const out = await run('unshare', ['--net', '--mount', 'bash', '-c', script.join('\n')]);
  return out.trim().split('\n');
}

const restricted: NetworkPolicy = {
  mode: 'restricted',
  allowlist: EMPTY_ALLOWLIST,
  allowLocalNetworkAccess: false,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 20, connections: true, dnsQueries: true },
};
const allowlist: NetworkPolicy = {
  ...restricted,
  mode: 'allowlist',
  allowlist: parseAllowlist(['203.0.113.2:443', 'example.com']),
};

describe('coi nftables ruleset on real packets (scratch namespaces)', () => {
  it('enforces restricted, allowlist, the gate, learned addresses and removal', async () => {
    const probe = (ns: string, host: string, port: number): Step => ({ probe: [ns, host, port] });
    const results = await lab([
      {
        apply:
          renderBase(HOST) +
          renderContainer('10.99.0.5', restricted, HOST) +
          renderContainer('10.99.0.6', allowlist, HOST) +
          renderGate('10.99.0.7'),
      },
      probe('c5', '10.99.0.1', 22),
      probe('c5', '203.0.113.2', 80),
      probe('c5', '192.168.1.1', 80),
      probe('c5', '169.254.169.254', 80),
      probe('c6', '203.0.113.2', 443),
      probe('c6', '203.0.113.2', 80),
      probe('c6', '203.0.113.3', 80),
      probe('c6', '10.99.0.1', 53),
      probe('c6', '192.168.1.1', 53),
      probe('c7', '10.99.0.1', 22),
      { apply: renderLearned('10.99.0.6', [{ address: '203.0.113.3' }], 60) },
      probe('c6', '203.0.113.3', 80),
      { apply: renderRemoval('10.99.0.5') + renderContainer('10.99.0.7', restricted, HOST) },
      probe('c5', '192.168.1.1', 80),
      probe('c7', '10.99.0.1', 22),
    ]);
    expect(results).toEqual([
      // restricted: gateway and internet through, LAN and metadata refused
      'c5 10.99.0.1:22 open',
      'c5 203.0.113.2:80 open',
      'c5 192.168.1.1:80 refused',
      'c5 169.254.169.254:80 refused',
      // allowlist: only the listed address and port; DNS to the gateway lands on the resolver's
      // port (nothing listens on 10.99.0.1:53), DNS anywhere else is refused
      'c6 203.0.113.2:443 open',
      'c6 203.0.113.2:80 refused',
      'c6 203.0.113.3:80 refused',
      'c6 10.99.0.1:53 open',
      'c6 192.168.1.1:53 refused',
      // gated: nothing gets out
      'c7 10.99.0.1:22 timeout',
      // learned by the resolver: now allowed
      'c6 203.0.113.3:80 open',
      // removed: no longer coi's; the gate replaced by real rules
      'c5 192.168.1.1:80 open',
      'c7 10.99.0.1:22 open',
    ]);
  }, 30_000);

  it('restricted with named hosts, allowed_ports and dns_servers; hosts change live', async () => {
    const probe = (host: string, port: number): Step => ({ probe: ['c5', host, port] });
    const tight: NetworkPolicy = {
      ...restricted,
      hosts: [{ ip: '192.168.1.1', hostnames: ['lan.test'], ports: [80] }],
      allowedPorts: [443],
      dnsServers: ['192.168.1.1'],
    };
    const results = await lab([
      { apply: renderBase(HOST) + renderContainer('10.99.0.5', tight, HOST) },
      probe('10.99.0.1', 22),
      probe('203.0.113.2', 443),
      probe('203.0.113.2', 80),
      probe('192.168.1.1', 80),
      probe('192.168.1.1', 53),
      probe('203.0.113.2', 53),
      { apply: renderHosts('10.99.0.5', []) },
      probe('192.168.1.1', 80),
    ]);
    expect(results).toEqual([
      // the gateway on any port
      'c5 10.99.0.1:22 open',
      // beyond it, allowed_ports only
      'c5 203.0.113.2:443 open',
      'c5 203.0.113.2:80 refused',
      // the named host on its port, although it is on the LAN
      'c5 192.168.1.1:80 open',
      // DNS to the listed server only (also on the LAN)
      'c5 192.168.1.1:53 open',
      'c5 203.0.113.2:53 refused',
      // the named host removed: the LAN is blocked again
      'c5 192.168.1.1:80 refused',
    ]);
  }, 30_000);

  it('egress proxy: learned HTTP(S) only through a leased proxy port, explicit entries direct', async () => {
    const probe = (ns: string, host: string, port: number): Step => ({ probe: [ns, host, port] });
    const proxied: HostNetwork = { ...HOST, egressProxy: true };
    // The proxy's port 40001 listens on the gateway; 40002 stands for a proxy that is down.
    const lease = (address: string, port: number, proxyPort: number): Step => ({
      apply: renderProxyTargets('10.99.0.1', [{ address, port, proxyPort }], 60),
    });
    const results = await lab([
      {
        apply:
          renderBase(proxied) +
          renderContainer('10.99.0.5', restricted, proxied) +
          renderContainer('10.99.0.6', allowlist, proxied) +
          renderLearned('10.99.0.6', [{ address: '203.0.113.3' }, { address: '203.0.113.2' }], 60),
      },
      probe('c6', '203.0.113.3', 80),
      lease('203.0.113.3', 80, 40001),
      probe('c6', '203.0.113.3', 80),
      lease('203.0.113.2', 80, 40002),
      probe('c6', '203.0.113.2', 80),
      lease('203.0.113.2', 443, 40002),
      probe('c6', '203.0.113.2', 443),
      probe('c5', '203.0.113.3', 80),
      { apply: renderContainer('10.99.0.6', restricted, proxied) },
      probe('c6', '203.0.113.3', 80),
    ]);
    expect(results).toEqual([
      // learned, but the proxy leased no port for it: refused, not let through around the proxy
      'c6 203.0.113.3:80 refused',
      // leased: lands on the proxy's port (nothing listens on 203.0.113.3:80 but the real server)
      'c6 203.0.113.3:80 open',
      // leased to a port nobody listens on (the proxy down): refused
      'c6 203.0.113.2:80 refused',
      // an explicit address entry goes direct, even with a lease for it
      'c6 203.0.113.2:443 open',
      // leases do not touch containers in other modes
      'c5 203.0.113.3:80 open',
      // switched to restricted: no redirect left
      'c6 203.0.113.3:80 open',
    ]);
  }, 30_000);
});
