import { describe, expect, it } from 'vitest';
import { proxyChecks, proxyVerdict } from '../../../../src/core/health/proxy-checks.js';
import type { AnyNameListener } from '../../../../src/security/proxy/egress-proxy.js';

const daemon = (egressProxy?: { state: 'serving' | 'stopped' }) => ({
  pid: 4242,
  containers: [],
  scans: 0,
  scanBusyMs: 0,
  kmsgLines: 0,
  alerts: 0,
  folded: 0,
  ...(egressProxy ? { egressProxy: { ...egressProxy, targets: 2, allowed: 5, refused: 1 } } : {}),
});

describe('egress proxy verdict', () => {
  it('is fine down while no allowlist container runs', () => {
    expect(proxyVerdict({ status: undefined, allowlisted: [] })).toMatchObject({
      status: 'ok',
      message:
        'not running (the monitor daemon, which runs it, is not running); no allowlist container runs',
    });
  });

  it('fails, saying why, when allowlist containers run without it', () => {
    expect(proxyVerdict({ status: undefined, allowlisted: ['coi-a-1'] })).toMatchObject({
      status: 'failed',
      message:
        'down: the monitor daemon, which runs it, is not running, so 1 allowlist container(s) (coi-a-1) have no HTTP/HTTPS egress',
    });
    expect(proxyVerdict({ status: daemon(), allowlisted: ['coi-a-1'] }).message).toMatch(
      /^down: the monitor daemon \(pid 4242\) runs without it/,
    );
    expect(
      proxyVerdict({ status: daemon({ state: 'stopped' }), allowlisted: ['coi-a-1'] }),
    ).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/^down: it is stopped in the monitor daemon/),
    });
  });

  it('reports what it serves', () => {
    expect(
      proxyVerdict({ status: daemon({ state: 'serving' }), allowlisted: ['coi-a-1'] }),
    ).toMatchObject({
      status: 'ok',
      message:
        'serving 2 destination(s) for 1 allowlist container(s); 5 connection(s) allowed, 1 refused',
    });
  });

  it('counts inject_in_open containers as depending on it', () => {
    expect(
      proxyVerdict({ status: undefined, allowlisted: [], anyName: ['coi-o-1'] }),
    ).toMatchObject({
      status: 'failed',
      message:
        'down: the monitor daemon, which runs it, is not running, so 1 inject_in_open container(s) (coi-o-1) have no HTTP/HTTPS egress',
    });
    expect(
      proxyVerdict({ status: daemon({ state: 'serving' }), allowlisted: [], anyName: ['coi-o-1'] })
        .message,
    ).toBe(
      'serving 2 destination(s) for 0 allowlist container(s) and 1 inject_in_open container(s); 5 connection(s) allowed, 1 refused',
    );
  });
});

describe('egress proxy verdict: its any-name ports', () => {
  const taken = 'listen EADDRINUSE: address already in use 10.99.0.1:39443';
  const serving = (anyNameListeners: AnyNameListener[]) => ({
    ...daemon({ state: 'serving' }),
    egressProxy: {
      state: 'serving' as const,
      targets: 2,
      allowed: 5,
      refused: 1,
      anyNameListeners,
    },
  });
  const heldBoth = [
    { for: 80 as const, port: 39080 },
    { for: 443 as const, port: 39443 },
  ];
  const lost443 = [heldBoth[0]!, { for: 443 as const, port: 39443, error: taken }];
  const check = proxyChecks[0]!;

  it('is fine while it holds both', () => {
    expect(
      proxyVerdict({ status: serving(heldBoth), allowlisted: [], anyName: ['coi-o-1'] }),
    ).toMatchObject({ status: 'ok' });
  });

  it('warns when one is taken, naming the port, what it breaks, and how to fix it', () => {
    const verdict = proxyVerdict({ status: serving(lost443), allowlisted: ['coi-a-1'] });
    expect(verdict).toMatchObject({
      status: 'warning',
      message:
        'serving 2 destination(s) for 1 allowlist container(s); 5 connection(s) allowed, 1 refused; ' +
        `but it does not listen on its any-name port(s) 39443 (their port 443: ${taken}), so ` +
        'credential injection in open/restricted mode does not work: inject_in_open containers ' +
        'launched now would have no HTTPS egress; free the port(s), then restart the monitor daemon',
      details: { anyNameListeners: lost443, pid: 4242, containers: ['coi-a-1'] },
    });
    expect(check.manualFix?.({ name: 'Egress proxy', ...verdict })).toBe(
      "free port(s) 39443 on the bridge gateway (`ss -ltnp 'sport = :39443'` shows what holds them), " +
        'then restart the monitor daemon: `kill 4242`, then `coi monitor --daemon &`',
    );
  });

  it('fails once an inject_in_open container depends on it', () => {
    const both = heldBoth.map((l) => ({ ...l, error: taken }));
    expect(
      proxyVerdict({ status: serving(both), allowlisted: [], anyName: ['coi-o-1'] }),
    ).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(
        /does not work: 1 inject_in_open container\(s\) \(coi-o-1\) have no HTTP\/HTTPS egress; free the port\(s\), then restart the monitor daemon$/,
      ),
    });
  });
});
