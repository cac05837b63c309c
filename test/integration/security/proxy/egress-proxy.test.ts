import type { Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../src/security/alert.js';
import { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import { DEFAULT_RESOLVER_PORT } from '../../../../src/security/dns/resolver.js';
import { parseAllowlist, type HostNetwork } from '../../../../src/security/nft/index.js';
import { run } from '../../../../src/shared/run.js';
import { RESTRICTED, eventually, launchGuarded, sh } from '../../../helpers/network-testbed.js';
import { selfSignedCert, startFakeUpstream, startWebServers } from '../../../helpers/proxy-bed.js';
import { BRIDGE, GATEWAY } from '../../../helpers/testbed.js';

/**
 * The egress proxy end to end on a real container in allowlist mode: coi's resolver (with a fake
 * upstream answering every `.test` name with the gateway) and the proxy as the monitor daemon runs
 * them (AllowlistDns), and HTTPS and HTTP servers on the gateway with a certificate for
 * allowed.test and other.test made here. Only allowed.test is on the allowlist, so other.test is
 * "another name on an allowed address".
 */

const HOST: HostNetwork = {
  bridge: BRIDGE,
  gateway: GATEWAY,
  resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
  egressProxy: true,
};
/** Away from the daemon's default range, in case one runs. */
const PROXY_PORTS = { first: 41_000, count: 64 };
const ALLOWLIST = parseAllowlist(['allowed.test']);

const guard = new NetworkGuard(HOST);
const alerts: { container: string; alert: Alert }[] = [];
/** Host names the servers were asked for: what got through. */
const served: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'coi-proxy-test-'));
let upstream: UdpSocket;
let servers: Server[] = [];
let cert = '';
let dns: AllowlistDns;
let agent: { name: string; ip: string };

async function startProxy(): Promise<AllowlistDns> {
  const started = new AllowlistDns({
    host: HOST,
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: upstream.address().port },
    proxyPorts: PROXY_PORTS,
    onAlert: (container, alert) => alerts.push({ container, alert }),
    log: () => undefined,
  });
  await started.start();
  started.add(agent.ip, agent.name, ALLOWLIST.domains);
  return started;
}

beforeAll(async () => {
  upstream = await startFakeUpstream(GATEWAY);
  const tls = await selfSignedCert(work, ['allowed.test', 'other.test']);
  cert = tls.cert;
  servers = await startWebServers(GATEWAY, tls, { https: [443], http: [80] }, (host) =>
    served.push(host),
  );
  agent = await launchGuarded('proxy-agent', guard, {
    ...RESTRICTED,
    mode: 'allowlist',
    allowLocalNetworkAccess: true,
    allowlist: ALLOWLIST,
  });
  dns = await startProxy();
  await sh(agent.name, `cat > /tmp/test-ca.pem <<'EOF'\n${cert}EOF`);
}, 120_000);

afterAll(async () => {
  await dns?.stop();
  upstream?.close();
  for (const server of servers) server.close();
  if (agent) await guard.release(agent.ip);
  rmSync(work, { recursive: true, force: true });
});

/** curl inside the agent: its exit code and body. */
async function curl(args: string): Promise<{ code: number; out: string }> {
  const { code, out } = await sh(agent.name, `curl -sS -m 5 --cacert /tmp/test-ca.pem ${args}`);
  return { code, out };
}

const toGateway = (name: string) =>
  `--resolve ${name}:443:${GATEWAY} --resolve ${name}:80:${GATEWAY}`;

describe('egress proxy on a real allowlist container', () => {
  it('lets an allowed name through end to end, over HTTPS and HTTP, by way of the proxy', async () => {
    expect(await curl('https://allowed.test/')).toEqual({ code: 0, out: 'ok allowed.test' });
    expect(await curl('http://allowed.test/')).toEqual({ code: 0, out: 'ok allowed.test' });
    expect(dns.proxyStatus()).toMatchObject({ state: 'serving', allowed: 2, refused: 0 });
    const map = await run('nft', ['list', 'map', 'inet', 'coi', 'proxy_targets']);
    expect(map).toContain(`${GATEWAY} . 443 timeout 5m`);
    expect(map).toMatch(new RegExp(`: ${GATEWAY.replaceAll('.', '\\.')} \\. 410\\d\\d`));
  });

  it('refuses another name on the same address by its SNI, and raises a HIGH alert', async () => {
    const before = served.length;
    const { code } = await curl(`${toGateway('other.test')} https://other.test/`);
    expect(code).not.toBe(0);
    const found = await eventually(
      () =>
        alerts.find(
          (a) => a.alert.evidence && JSON.stringify(a.alert).includes('SNI \\"other.test\\"'),
        ),
      'SNI alert',
    );
    expect(found).toMatchObject({
      container: agent.name,
      alert: {
        level: 'high',
        title: 'Connection to an allowed address for a name not on the allowlist',
        evidence: { network: { src_ip: agent.ip, dst_ip: GATEWAY, dst_port: 443 } },
      },
    });
    expect(served.slice(before)).toEqual([]);
  });

  it('refuses plain HTTP with a forged Host header the same way', async () => {
    const before = served.length;
    const { code } = await curl(`-H 'Host: other.test' http://allowed.test/`);
    expect(code).not.toBe(0);
    const found = await eventually(
      () => alerts.find((a) => JSON.stringify(a.alert).includes('Host \\"other.test\\"')),
      'Host alert',
    );
    expect(found.alert).toMatchObject({ level: 'high', evidence: { network: { dst_port: 80 } } });
    expect(served.slice(before)).toEqual([]);
  });

  it('refuses TLS without SNI to an allowed address (no_sni = "refuse")', async () => {
    const before = served.length;
    const { code } = await curl(`-k https://${GATEWAY}/`);
    expect(code).not.toBe(0);
    await eventually(
      () =>
        alerts.find(
          (a) => a.alert.title === 'Connection to an allowed address without a name refused',
        ),
      'no-SNI alert',
    );
    expect(served.slice(before)).toEqual([]);
  });

  it('fails closed while the proxy is down and recovers when it restarts', async () => {
    await dns.stop();
    const before = served.length;
    // The name's address is still learned; its HTTP(S) must not get out around the proxy.
    expect((await curl(`${toGateway('allowed.test')} https://allowed.test/`)).code).not.toBe(0);
    expect((await curl(`${toGateway('allowed.test')} http://allowed.test/`)).code).not.toBe(0);
    dns = await startProxy();
    // A new proxy holds no leases yet: still refused until the name is resolved again.
    expect((await curl(`${toGateway('allowed.test')} https://allowed.test/`)).code).not.toBe(0);
    expect(served.slice(before)).toEqual([]);
    expect(await curl('https://allowed.test/')).toEqual({ code: 0, out: 'ok allowed.test' });
    expect(dns.proxyStatus()).toMatchObject({ state: 'serving', allowed: 1 });
  });
});
