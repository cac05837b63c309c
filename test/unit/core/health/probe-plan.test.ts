import { describe, expect, it } from 'vitest';
import {
  blockedTarget,
  parseProbeOutput,
  PROBE_SCRIPT,
} from '../../../../src/core/health/probe-plan.js';
import { EMPTY_ALLOWLIST, parseAllowlist } from '../../../../src/security/nft/index.js';
import type { NetworkPolicy } from '../../../../src/security/nft/index.js';
import { run } from '../../../../src/shared/run.js';

const policy = (over: Partial<NetworkPolicy>): NetworkPolicy => ({
  mode: 'restricted',
  allowlist: EMPTY_ALLOWLIST,
  allowLocalNetworkAccess: false,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 0, connections: false, dnsQueries: false },
  ...over,
});

describe('health probe plan', () => {
  it('tries a private address where private networks are blocked', () => {
    expect(blockedTarget(policy({}))).toEqual({
      kind: 'private',
      why: 'private networks are blocked',
    });
    expect(blockedTarget(policy({ mode: 'allowlist' }))).toMatchObject({ kind: 'private' });
  });

  it('tries a documentation address not on the allowlist when the LAN is allowed', () => {
    const lan = { mode: 'allowlist' as const, allowLocalNetworkAccess: true };
    expect(blockedTarget(policy(lan))).toEqual({
      kind: 'documentation',
      address: '192.0.2.1',
      why: 'it is not on the allowlist',
    });
    const listed = policy({ ...lan, allowlist: parseAllowlist(['192.0.2.0/24', '198.51.100.1']) });
    expect(blockedTarget(listed)).toMatchObject({ address: '203.0.113.1' });
  });

  it('says why there is nothing to try', () => {
    expect(blockedTarget(policy({ mode: 'open' }))).toEqual({
      none: 'open mode: nothing is restricted',
    });
    expect(blockedTarget(policy({ blockPrivateNetworks: false }))).toEqual({
      none: 'block_private_networks = false: private networks are reachable',
    });
    expect(blockedTarget(policy({ allowLocalNetworkAccess: true }))).toMatchObject({
      none: expect.stringMatching(/^allow_local_network_access = true/),
    });
  });

  it('reads the probe output', () => {
    expect(
      parseProbeOutput(
        'gateway=ok\ntarget=refused\ndetail=bash: connect: Connection refused\nbash: line 1\n',
      ),
    ).toEqual({
      gateway: 'ok',
      target: 'refused',
      detail: 'bash: connect: Connection refused',
    });
    expect(parseProbeOutput('gateway=unreachable\n')).toEqual({
      gateway: 'unreachable',
      detail: '',
    });
    expect(parseProbeOutput('target=odd\n').target).toBe('unreachable');
  });

  it('is a script sh accepts', async () => {
    await expect(run('sh', ['-n', '-c', PROBE_SCRIPT])).resolves.toBe('');
  });
});
