import type { Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlotViewActions } from '../../../../src/core/control-room/slot-view-actions.js';
import type { NetworkDecision } from '../../../../src/core/control-room/slot-view-types.js';
import { loadConfig } from '../../../../src/core/config/index.js';
import { monitorSettings } from '../../../../src/core/policy/monitor-settings.js';
import { Incus } from '../../../../src/incus/index.js';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { readAudit } from '../../../../src/security/audit/tail.js';
import { DEFAULT_RESOLVER_PORT } from '../../../../src/security/dns/resolver.js';
import { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import { MonitorDaemon } from '../../../../src/security/monitor/daemon.js';
import { DECISION_TITLES } from '../../../../src/security/monitor/network-audit.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import { parseAllowlist, type HostNetwork } from '../../../../src/security/nft/index.js';
import { containerSet } from '../../../../src/security/nft/names.js';
import { containerName } from '../../../../src/shared/naming.js';
import { run } from '../../../../src/shared/run.js';
import { poll } from '../../../helpers/monitor-bed.js';
import { RESTRICTED, launchGuarded, sh } from '../../../helpers/network-testbed.js';
import { selfSignedCert, startFakeUpstream, startWebServers } from '../../../helpers/proxy-bed.js';
import { BRIDGE, GATEWAY, TEST_PREFIX } from '../../../helpers/testbed.js';

/**
 * The control room's network tail end to end on a real allowlist container: the monitor daemon
 * (in-process, with its socket in a temp ~/.coi) runs coi's resolver and egress proxy (a fake
 * upstream answers every `.test` name with the gateway, where HTTPS servers stand in for the
 * internet) and reads the kernel log. The container resolves an allowed and a refused name,
 * connects through the proxy, and one packet is dropped; the records are read the way the room
 * reads them (SlotViewActions over the daemon socket), and the refused name is allowed live.
 */

const HOST: HostNetwork = {
  bridge: BRIDGE,
  gateway: GATEWAY,
  resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
  egressProxy: true,
};
const PROXY_PORTS = { first: 41_100, count: 64 };
const ALLOWLIST = parseAllowlist(['allowed.test']);
/** Not on the allowlist and not routed anywhere: nft drops it. */
const DROPPED = '192.0.2.1';

const home = mkdtempSync(join(tmpdir(), 'coi-network-tail-'));
const coiDir = join(home, '.coi');
const work = mkdtempSync(join(tmpdir(), 'coi-network-tail-tls-'));
const guard = new NetworkGuard(HOST);
const incus = Incus.local();
const daemonIncus = Incus.local();
let upstream: UdpSocket;
let servers: Server[] = [];
let dns: AllowlistDns;
let daemon: MonitorDaemon;
let room: SlotViewActions;
let agent: { name: string; ip: string };

beforeAll(async () => {
  upstream = await startFakeUpstream(GATEWAY);
  const tls = await selfSignedCert(work, ['allowed.test', 'other.test']);
  servers = await startWebServers(GATEWAY, tls, { https: [443], http: [80] }, () => undefined);
  const report: { daemon?: MonitorDaemon } = {};
  dns = new AllowlistDns({
    host: HOST,
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: upstream.address().port },
    proxyPorts: PROXY_PORTS,
    onAlert: (container, alert) => report.daemon?.report(container, alert),
    onDecision: (container, ip, decision) => report.daemon?.recordDecision(container, ip, decision),
    log: () => undefined,
  });
  const { config } = loadConfig({ cwd: home, home, env: {} });
  daemon = new MonitorDaemon({
    incus: daemonIncus,
    coiDir,
    prefix: TEST_PREFIX,
    settings: monitorSettings(config),
    network: true,
    allowlistDns: dns,
    egressProxy: () => dns.proxyStatus(),
  });
  report.daemon = daemon;
  expect(await daemon.start()).toBe(true);
  await dns.start();
  room = new SlotViewActions({ incus, coiDir, prefix: TEST_PREFIX });
  const workspace = '/network-tail-test/agent';
  const name = containerName(workspace, 1, TEST_PREFIX);
  agent = await launchGuarded(
    name.slice(TEST_PREFIX.length),
    guard,
    { ...RESTRICTED, mode: 'allowlist', allowLocalNetworkAccess: true, allowlist: ALLOWLIST },
    {
      config: {
        'user.coi.workspace': workspace,
        'user.coi.code_user': 'code',
        'user.coi.network_mode': 'allowlist',
        'user.coi.allowlist': JSON.stringify(ALLOWLIST.domains),
        // The dropped packet raises a HIGH alert: alerted, not paused, so the tests go on.
        'user.coi.monitoring': JSON.stringify({ auto_pause_on_high: false }),
      },
    },
  );
  await daemon.watchOf(agent.name, 30_000);
  await sh(agent.name, `cat > /tmp/test-ca.pem <<'EOF'\n${tls.cert}EOF`);
}, 180_000);

afterAll(async () => {
  await daemon?.stop();
  await dns?.stop();
  upstream?.close();
  for (const server of servers) server.close();
  if (agent) await guard.release(agent.ip);
  await daemonIncus.close();
  await incus.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** The container's network tail as the room's view receives it (one refresh of its feed). */
function tail(): Promise<NetworkDecision[]> {
  return new Promise((resolve, reject) => {
    const stop = room.watch('network', agent.name, {
      onData: (data) => {
        stop();
        if (data.view === 'network') resolve(data.decisions);
      },
      onError: (message) => {
        stop();
        reject(new Error(message));
      },
    });
  });
}

async function tailWith(
  what: string,
  accept: (d: NetworkDecision) => boolean,
): Promise<NetworkDecision> {
  return poll(
    async () => (await tail()).find(accept),
    15_000,
    () => `no ${what} in the tail`,
  );
}

async function records(): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  await readAudit(join(coiDir, 'audit'), agent.name, { onRecord: (r) => out.push(r) });
  return out;
}

const lookup = (name: string) => sh(agent.name, `getent hosts ${name}`);
const curl = (args: string) => sh(agent.name, `curl -sS -m 5 --cacert /tmp/test-ca.pem ${args}`);

describe('network tail of a real allowlist container', () => {
  it('records names resolved and refused, proxy connections allowed and refused, and nft drops', async () => {
    expect((await lookup('allowed.test')).code).toBe(0);
    expect((await lookup('refused.test')).code).not.toBe(0);
    expect((await curl('https://allowed.test/')).out).toBe('ok allowed.test');
    const other = `--resolve other.test:443:${GATEWAY} https://other.test/`;
    expect((await curl(other)).code).not.toBe(0);
    await sh(agent.name, `nc -z -w 2 ${DROPPED} 8080`);

    expect(
      await tailWith('DNS answer', (d) => d.source === 'dns' && d.name === 'allowed.test'),
    ).toMatchObject({ verdict: 'allowed', address: GATEWAY });
    expect(
      await tailWith('DNS refusal', (d) => d.source === 'dns' && d.name === 'refused.test'),
    ).toMatchObject({ verdict: 'refused', address: '', reason: 'not on the allowlist' });
    expect(
      await tailWith('proxy allow', (d) => d.source === 'proxy' && d.verdict === 'allowed'),
    ).toMatchObject({ name: 'allowed.test', address: GATEWAY, port: 443 });
    expect(
      await tailWith('proxy refusal', (d) => d.source === 'proxy' && d.verdict === 'refused'),
    ).toMatchObject({
      name: 'other.test',
      address: GATEWAY,
      port: 443,
      reason: 'SNI "other.test" is not on the allowlist',
    });
    expect(await tailWith('nft drop', (d) => d.source === 'nft')).toMatchObject({
      verdict: 'blocked',
      address: DROPPED,
      port: 8080,
      reason: 'not on the allowlist',
    });
    const times = (await tail()).map((d) => d.time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The allowed connection is in the audit log too.
    const allowed = await poll(
      async () => (await records()).find((r) => r.title === DECISION_TITLES.proxyAllowed),
      10_000,
      () => 'no audit record of the allowed connection',
    );
    expect(allowed.evidence).toMatchObject({ network: { dst_ip: GATEWAY, dst_port: 443 } });
  });

  it('allowing the refused name live makes its next lookup succeed inside, and is audited', async () => {
    expect((await lookup('refused.test')).code).not.toBe(0);
    expect(await room.changeAllowlist('allow', agent.name, 'refused.test')).toBe(
      `refused.test allowed for ${agent.name}`,
    );
    const { code, out } = await lookup('refused.test');
    expect(code).toBe(0);
    expect(out).toContain(GATEWAY);
    // The proxy takes the new allowlist at once too.
    expect((await curl('http://refused.test/')).out).toBe('ok refused.test');
    const { value } = await incus.instances.get(agent.name);
    expect(JSON.parse(value.config['user.coi.allowlist']!)).toContainEqual({
      name: 'refused.test',
      ports: [],
    });
    expect(await records()).toContainEqual(
      expect.objectContaining({
        title: DECISION_TITLES.nameAllowed,
        evidence: { dns: expect.objectContaining({ domain: 'refused.test' }) },
      }),
    );
  });

  it('blocking it again refuses the next lookup and takes its address out of the firewall', async () => {
    const learned = () =>
      run('nft', ['list', 'set', 'inet', 'coi', containerSet('learned', agent.ip)]);
    expect(await learned()).toContain(GATEWAY);
    await room.changeAllowlist('block', agent.name, 'refused.test');
    expect((await lookup('refused.test')).code).not.toBe(0);
    expect(await learned()).not.toContain(GATEWAY);
    expect((await records()).map((r) => r.title)).toContain(DECISION_TITLES.nameBlocked);
    await expect(room.changeAllowlist('block', agent.name, 'refused.test')).rejects.toThrow(
      'refused.test is not on the allowlist',
    );
  });
});
