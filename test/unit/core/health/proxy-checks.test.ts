import { describe, expect, it } from 'vitest';
import { proxyVerdict } from '../../../../src/core/health/proxy-checks.js';

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
