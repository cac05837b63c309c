import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RESOLVER_PORT,
  DnsResolver,
  type DnsAlertEvent,
} from '../../../../src/security/dns/index.js';
import { containerSet, parseAllowlist } from '../../../../src/security/nft/index.js';
import { run } from '../../../../src/shared/run.js';
import {
  RESTRICTED,
  eventually,
  guardWithKmsg,
  launchGuarded,
  percentile,
  sh,
} from '../../../helpers/network-testbed.js';
import { startFakeUpstream } from '../../../helpers/proxy-bed.js';
import { GATEWAY } from '../../../helpers/testbed.js';

/**
 * Allowlist mode end to end: the container's DNS to the gateway is redirected to coi's resolver,
 * which forwards allowed names to a fake upstream on the host (answering with the address of a
 * second test container that serves HTTP), learns the answers into nft, and refuses the rest.
 */

const { guard, source, events: kmsg } = guardWithKmsg();
const dnsAlerts: DnsAlertEvent[] = [];
const learnMs: number[] = [];
let upstream: Socket;
let resolver: DnsResolver;
let agent: { name: string; ip: string };
let server: { name: string; ip: string };

beforeAll(async () => {
  await source.start();
  server = await launchGuarded('net-server', guard, RESTRICTED);
  // One HTTP response per connection (the image has no web server).
  const http = String.raw`printf "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"`;
  await sh(
    server.name,
    `setsid -f sh -c 'while true; do ${http} | nc -N -l 8080; done' </dev/null >/dev/null 2>&1`,
  );
  upstream = await startFakeUpstream(server.ip);
  const port = upstream.address().port;
  resolver = new DnsResolver({
    listen: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
    upstream: { address: '127.0.0.1', port },
    policyOf: (ip) => guard.resolverPolicy(ip),
    learn: async (ip, learned, timeoutSec) => {
      const t = performance.now();
      await guard.learn(ip, learned, timeoutSec);
      learnMs.push(performance.now() - t);
    },
    onAlert: (event) => dnsAlerts.push(event),
  });
  await resolver.start();
  agent = await launchGuarded('net-agent', guard, {
    ...RESTRICTED,
    mode: 'allowlist',
    allowLocalNetworkAccess: true,
    allowlist: parseAllowlist(['allowed.test', '*.wild.test']),
  });
});

afterAll(async () => {
  source.stop();
  await resolver?.stop();
  upstream?.close();
  for (const c of [agent, server]) if (c) await guard.release(c.ip);
});

const dig = (name: string, extra = '') => sh(agent.name, `dig +time=2 +tries=1 ${extra} ${name} A`);

describe('allowlist mode with coi resolver on a real container', () => {
  it('resolves an allowed name, learns its address into nft before answering, and connects', async () => {
    const { out } = await dig('allowed.test', `@${GATEWAY}`);
    expect(out).toContain('status: NOERROR');
    expect(out).toMatch(
      new RegExp(`allowed\\.test\\.\\s+60\\s+IN\\s+A\\s+${server.ip.replaceAll('.', '\\.')}`),
    );
    const set = await run('nft', ['list', 'set', 'inet', 'coi', containerSet('learned', agent.ip)]);
    expect(set).toMatch(new RegExp(`${server.ip.replaceAll('.', '\\.')} timeout 5m`));
    const curl = await sh(
      agent.name,
      'curl -s -o /dev/null -w "%{http_code}" -m 5 http://allowed.test:8080/',
    );
    console.log(
      curl,
      await sh(agent.name, 'cat /etc/resolv.conf; getent hosts allowed.test'),
      await sh(server.name, 'ss -ltnp; ls /usr/lib/python3*/http'),
    );
    expect(curl.out).toBe('200');
  });

  it('answers over TCP through the same redirect', async () => {
    const { out } = await dig('allowed.test', '+tcp');
    expect(out).toContain('status: NOERROR');
    expect(out).toContain(server.ip);
  });

  it('resolves a name matched by a wildcard entry', async () => {
    const curl = await sh(
      agent.name,
      'curl -s -o /dev/null -w "%{http_code}" -m 5 http://api.wild.test:8080/',
    );
    expect(curl.out).toBe('200');
  });

  it('refuses an unlisted name and alerts', async () => {
    const { out } = await dig('unlisted.test');
    expect(out).toContain('status: REFUSED');
    const alert = await eventually(
      () =>
        dnsAlerts.find(
          (a) =>
            a.alert.title === 'DNS query for a name not on the allowlist' &&
            a.alert.description.includes('unlisted.test'),
        ),
      'refused alert',
    );
    expect(alert).toMatchObject({ container: agent.name, ip: agent.ip });
    expect(alert.alert.evidence).toMatchObject({ dns: { query: 'unlisted.test' } });
  });

  it('blocks DNS to any other server and the kernel log says so', async () => {
    const { out } = await dig('allowed.test', `@${server.ip}`);
    expect(out).not.toContain('status: NOERROR');
    const event = await eventually(
      () =>
        kmsg.find(
          (e) => e.container === agent.name && e.event.kind === 'dns' && e.event.dst === server.ip,
        ),
      'dns line',
    );
    expect(event.alert).toMatchObject({ title: 'DNS query to non-standard server' });
  });

  it('raises a tunnelling alert on a burst of long random labels', async () => {
    await sh(
      agent.name,
      'for i in $(seq 12); do dig +short +time=1 +tries=1 ' +
        '"$(head -c 24 /dev/urandom | od -An -tx1 | tr -d " \\n").tunnel.test" A >/dev/null; done',
    );
    const alert = await eventually(
      () => dnsAlerts.find((a) => a.alert.title === 'Possible DNS tunnelling'),
      'tunnel alert',
    );
    expect(alert).toMatchObject({ container: agent.name, alert: { level: 'high' } });
  });

  it('measures DNS answer latency with set insertion over 20 new names', async () => {
    const { out } = await sh(
      agent.name,
      'for i in $(seq 20); do dig +time=2 +tries=1 "n$i.wild.test" A | grep "Query time"; done',
    );
    const times = [...out.matchAll(/Query time: (\d+) msec/g)].map((m) => Number(m[1]));
    expect(times).toHaveLength(20);
    console.log(
      `DNS answer incl. upstream + nft learn, seen by dig (ms, n=20): p50 ${percentile(times, 50)}, ` +
        `p95 ${percentile(times, 95)}; nft learn alone (ms, n=${learnMs.length}): ` +
        `p50 ${percentile(learnMs, 50).toFixed(1)}, p95 ${percentile(learnMs, 95).toFixed(1)}`,
    );
  });
});
