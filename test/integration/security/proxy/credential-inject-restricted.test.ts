import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../../src/security/alert.js';
import type { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import type { NetworkDecision } from '../../../../src/security/monitor/network-tail.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import {
  anyNameBedHost,
  expectInjectedAndSpliced,
  sentinelCurl,
  startAnyNameProxy,
  startInjectionBed,
  type InjectionBed,
  type ServedRequest,
} from '../../../helpers/injection-bed.js';
import { RESTRICTED, sh } from '../../../helpers/network-testbed.js';
import { GATEWAY } from '../../../helpers/testbed.js';

/**
 * `[network.proxy] inject_in_open` on a real restricted-mode container: its HTTP(S) to the gateway
 * goes to the egress proxy's any-name ports (ports of this test's own, distinct from the open
 * test's), the inject name gets the real header and another name passes, but the proxy, which
 * connects from the host past the container's chain, refuses names it resolves to restricted
 * mode's blocks. The container finds every name at the gateway in its /etc/hosts, so nft sends
 * each to the proxy; the stand-in upstream answers priv.test with the container's own address
 * (private, not the gateway; a listener there would see a connection the proxy let through) and
 * meta.test with the metadata endpoint.
 */

const HOST = anyNameBedHost({ 80: 41_380, 443: 41_381 });
const METADATA = '169.254.169.254';
const REAL = `coi-real-${randomUUID()}`;
const SENTINEL = `coi-sentinel-${randomUUID()}`;
const HITS = '/tmp/listener-hits';

const guard = new NetworkGuard(HOST);
const work = mkdtempSync(join(tmpdir(), 'coi-inject-restricted-test-'));
const served: ServedRequest[] = [];
let bed: InjectionBed | undefined;
let dns: AllowlistDns | undefined;
let agent: { name: string; ip: string } | undefined;
const decisions: NetworkDecision[] = [];
const alerts: Alert[] = [];

/** A listener on the container's own 443 that notes each connection it accepts in HITS. */
const LISTENER =
  `nohup python3 -c "import socket\ns = socket.socket()\n` +
  `s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('0.0.0.0', 443))\n` +
  `s.listen()\nwhile True:\n  c, _ = s.accept()\n  open('${HITS}', 'a').write('hit\\n')\n  c.close()" ` +
  `>/dev/null 2>&1 &`;

beforeAll(async () => {
  bed = await startInjectionBed({
    work,
    token: REAL,
    label: 'inject-restricted',
    guard,
    policy: { ...RESTRICTED, anyNameProxy: true },
    names: ['other.test', 'api.test'],
    served,
    addressOf: (name) =>
      ({ 'priv.test': agent?.ip, 'meta.test': METADATA })[name as 'priv.test' | 'meta.test'],
    inside: `echo '${GATEWAY} api.test other.test priv.test meta.test' >> /etc/hosts\n${LISTENER}`,
  });
  ({ agent } = bed);
  await listenerSeesTheHost(agent.ip);
  // The blocks a restricted launch with the default keys records (user.coi.any_name_proxy), which
  // the daemon registers the container with.
  dns = await startAnyNameProxy({
    bed,
    work,
    host: HOST,
    proxyPorts: { first: 41_400, count: 16 },
    blocks: { metadata: true, private: true },
    onDecision: (decision) => decisions.push(decision),
    onAlert: (alert) => alerts.push(alert),
  });
}, 120_000);

afterAll(async () => {
  await dns?.stop();
  await bed?.close();
  rmSync(work, { recursive: true, force: true });
});

const curl = sentinelCurl(() => agent!.name, SENTINEL);

/** The listener's positive control: a connection from the host is noted (the note taken). */
async function listenerSeesTheHost(ip: string): Promise<void> {
  const knock = () =>
    new Promise<void>((resolve) => {
      const socket = connect(443, ip, () => socket.end());
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
  await vi.waitFor(
    async () => {
      await knock();
      expect(await listenerHits()).toContain('hit');
    },
    { timeout: 10_000, interval: 300 },
  );
}

/** The connections the listener noted since the last call. */
async function listenerHits(): Promise<string> {
  return (await sh(agent!.name, `cat ${HITS} 2>/dev/null; rm -f ${HITS}; true`)).out;
}

describe('credential injection in restricted mode (inject_in_open)', () => {
  it('sets the real header for the inject name; another name at the gateway passes', async () => {
    await expectInjectedAndSpliced({ curl, served, decisions, real: REAL, sentinel: SENTINEL });
    expect(dns?.proxyStatus()).toMatchObject({ injected: 1 });
  });

  it.each([
    ['priv.test', () => agent!.ip, 'a private network'],
    ['meta.test', () => METADATA, 'the metadata endpoint'],
  ])('refuses %s, which the host resolves to a block', async (name, address, block) => {
    const [before, alertsBefore] = [served.length, alerts.length];
    expect((await curl(`--cacert /tmp/test-ca.pem https://${name}/`)).code).not.toBe(0);
    expect(served.slice(before)).toEqual([]);
    expect(await listenerHits()).toBe('');
    expect(decisions.at(-1)).toMatchObject({
      source: 'proxy',
      verdict: 'refused',
      name,
      reason: `"${name}" resolves to ${address()}, ${block}, which the container may not reach`,
    });
    expect(alerts.slice(alertsBefore)).toMatchObject([
      { level: 'warning', title: 'Egress proxy refused a destination the network mode blocks' },
    ]);
  });
});
