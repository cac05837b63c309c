import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../../src/security/response/responder.js';
import type { WatchedContainer } from '../../../../src/security/monitor/container-watch.js';
import { KernelLogRouter } from '../../../../src/security/monitor/kernel-log-router.js';
import type { NetworkDecision } from '../../../../src/security/monitor/network-tail.js';
import { nftLine } from '../../../helpers/kmsg.js';

function container(name: string, ipv4: string): WatchedContainer {
  return { name, workspace: `/w/${name}`, initPid: 1000, home: '/home/code', ipv4 };
}

/** A router over a fixed set of watched containers; `lease` is what an address refresh finds. */
function bed(opts: {
  watched: WatchedContainer[];
  open?: string[];
  lease?: Record<string, string>;
}) {
  const detections: Detection[] = [];
  const decisions: Array<{ container: string; ip: string; decision: NetworkDecision }> = [];
  let refreshes = 0;
  const router = new KernelLogRouter({
    containerOf: (ip) => opts.watched.find((c) => c.ipv4 === ip),
    refreshAddresses: async () => {
      refreshes += 1;
      for (const c of opts.watched) if (!c.ipv4) c.ipv4 = opts.lease?.[c.name] ?? '';
    },
    openMode: (name) => opts.open?.includes(name) ?? false,
    detect: (d) => detections.push(d),
    onDecision: (container, ip, decision) => decisions.push({ container, ip, decision }),
    uptimeMs: () => 5250,
  });
  return { router, detections, decisions, refreshes: () => refreshes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KernelLogRouter', () => {
  it('hands a line to the container holding the packet source address', () => {
    const { router, detections } = bed({
      watched: [container('coi-a-1', '10.99.0.5'), container('coi-b-1', '10.99.0.6')],
    });
    router.onEvent(nftLine('meta', '10.99.0.6', '169.254.169.254'));
    expect(detections).toEqual([
      {
        container: 'coi-b-1',
        workspace: '/w/coi-b-1',
        alert: expect.objectContaining({ level: 'critical', title: 'Metadata endpoint access' }),
        latencyMs: 250,
      },
    ]);
    expect(router.lines).toBe(1);
  });

  it('records a dropped packet for the network tail: blocked, or only logged in open mode', () => {
    const { router, decisions } = bed({
      watched: [container('coi-a-1', '10.99.0.5'), container('coi-o-1', '10.99.0.7')],
      open: ['coi-o-1'],
    });
    router.onEvent(nftLine('meta', '10.99.0.5', '169.254.169.254'));
    router.onEvent(nftLine('priv', '10.99.0.7', '192.168.1.1'));
    expect(decisions).toEqual([
      {
        container: 'coi-a-1',
        ip: '10.99.0.5',
        decision: {
          time: expect.any(Number),
          source: 'nft',
          verdict: 'blocked',
          name: '',
          address: '169.254.169.254',
          port: 80,
          reason: 'cloud metadata endpoint',
        },
      },
      {
        container: 'coi-o-1',
        ip: '10.99.0.7',
        decision: expect.objectContaining({
          verdict: 'allowed',
          reason: 'private network range (open mode: logged only)',
        }),
      },
    ]);
  });

  it('counts lines that raise no alert, and hands none of them on', () => {
    const { router, detections, decisions, refreshes } = bed({
      watched: [container('coi-a-1', '10.99.0.5')],
    });
    router.onEvent(nftLine('conn', '10.99.0.5', '1.1.1.1'));
    router.onEvent(nftLine('conn', '10.99.0.9', '1.1.1.1'));
    expect(router.lines).toBe(2);
    expect(detections).toEqual([]);
    expect(decisions).toEqual([]);
    expect(refreshes()).toBe(0);
  });

  it('routes a line from a fresh lease after looking up addresses, counting it once', async () => {
    const late = container('coi-a-1', '');
    const { router, detections, refreshes } = bed({
      watched: [late],
      lease: { 'coi-a-1': '10.99.0.7' },
    });
    router.onEvent(nftLine('priv', '10.99.0.7', '10.0.0.1'));
    await settle();
    expect(refreshes()).toBe(1);
    expect(detections.map((d) => d.container)).toEqual(['coi-a-1']);
    expect(router.lines).toBe(1);
  });

  it('drops a line no watched container owns after one lookup', async () => {
    const { router, detections, refreshes } = bed({ watched: [container('coi-a-1', '')] });
    router.onEvent(nftLine('priv', '10.99.0.8', '10.0.0.1'));
    await settle();
    expect(refreshes()).toBe(1);
    expect(detections).toEqual([]);
    expect(router.lines).toBe(1);
  });

  it('downgrades private-network alerts to info in open mode, and only those', () => {
    const { router, detections } = bed({
      watched: [container('coi-open-1', '10.99.0.5'), container('coi-strict-1', '10.99.0.6')],
      open: ['coi-open-1'],
    });
    router.onEvent(nftLine('priv', '10.99.0.5', '10.0.0.1'));
    router.onEvent(nftLine('priv', '10.99.0.6', '10.0.0.1'));
    router.onEvent(nftLine('meta', '10.99.0.5', '169.254.169.254'));
    expect(detections.map((d) => [d.container, d.alert.level])).toEqual([
      ['coi-open-1', 'info'],
      ['coi-strict-1', 'high'],
      ['coi-open-1', 'critical'],
    ]);
  });
});
