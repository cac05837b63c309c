import { describe, expect, it } from 'vitest';
import { planFixes, renderFixPlan } from '../../../../src/core/health/fix.js';
import { report } from '../../../../src/core/health/run.js';
import type { CheckResult } from '../../../../src/core/health/types.js';

const check = (name: string, status: CheckResult['status'], message = '') => ({
  name,
  status,
  message,
});

describe('health fix plan', () => {
  it('plans nothing for a healthy host', () => {
    expect(planFixes(report({ incus: check('Incus', 'ok') }), 'coi-default')).toEqual([]);
  });

  it('plans the set-up, the coi-default build and the manual steps of what it cannot fix', () => {
    const r = report({
      image: check('Default image', 'failed', 'image "coi-default" is missing; run `coi build`'),
      ip_forwarding: check('IP forwarding', 'warning'),
      network_mode: check('Network mode', 'warning', 'open'),
      tool: check('Tool', 'ok'),
    });
    const lines = renderFixPlan(planFixes(r, 'coi-default'));
    expect(lines[0]).toMatch(/^ {2}\[PLAN\] {3}set up the host where something is missing: /);
    expect(lines.slice(1)).toEqual([
      '  [PLAN]   Default image: build coi-default (takes minutes)',
      '  [MANUAL] IP forwarding: enable it: `sudo sysctl -w net.ipv4.ip_forward=1` (and in /etc/sysctl.d/)',
      '  [MANUAL] Network mode: set [network] mode = "restricted" (or "allowlist") in ~/.coi/config.toml',
    ]);
  });

  it('leaves another missing image to the user', () => {
    const r = report({ image: check('Default image', 'failed', 'image "mine" is missing') });
    expect(planFixes(r, 'mine').map((s) => [s.kind, s.action])).toEqual([
      ['plan', expect.stringMatching(/^set up the host/)],
      ['manual', 'build it: `coi build --profile <profile>` or `coi build --all`'],
    ]);
  });
});
