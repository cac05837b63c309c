import { describe, expect, it } from 'vitest';
import type { InstanceFull, InstanceState } from '../../../../src/incus/instance-types.js';
import { instanceInfoText, instanceTable } from '../../../../src/cli/views/instance-text.js';

const running: InstanceState = {
  status: 'Running',
  status_code: 103,
  disk: { root: { usage: 3 * 2 ** 20 } },
  memory: {
    usage: 50 * 2 ** 20,
    usage_peak: 60 * 2 ** 20,
    total: 0,
    swap_usage: 0,
    swap_usage_peak: 0,
  },
  network: {
    lo: {
      addresses: [{ family: 'inet', address: '127.0.0.1', netmask: '8', scope: 'local' }],
      counters: { bytes_received: 0, bytes_sent: 0 } as never,
      hwaddr: '',
      host_name: '',
      mtu: 65536,
      state: 'up',
      type: 'loopback',
    },
    eth0: {
      addresses: [
        { family: 'inet', address: '10.0.3.15', netmask: '24', scope: 'global' },
        { family: 'inet6', address: 'fd42::15', netmask: '64', scope: 'global' },
        { family: 'inet6', address: 'fe80::1', netmask: '64', scope: 'link' },
      ],
      counters: { bytes_received: 2048, bytes_sent: 1024 } as never,
      hwaddr: '00:16:3e:00:00:01',
      host_name: 'veth1234',
      mtu: 1500,
      state: 'up',
      type: 'broadcast',
    },
  },
  pid: 4242,
  processes: 7,
  cpu: { usage: 3_400_000_000 },
};

function instance(overrides: Partial<InstanceFull>): InstanceFull {
  return {
    name: 'c1',
    type: 'container',
    status: 'Running',
    status_code: 103,
    architecture: 'x86_64',
    config: { 'image.description': 'Debian bookworm' },
    devices: {},
    ephemeral: false,
    profiles: ['default'],
    stateful: false,
    description: '',
    created_at: '2025-01-02T03:04:05Z',
    last_used_at: '2025-01-02T03:05:00Z',
    location: 'none',
    project: 'default',
    expanded_config: {},
    expanded_devices: {},
    state: running,
    snapshots: null,
    backups: null,
    ...overrides,
  };
}

describe('instanceTable', () => {
  it('shows the columns of `incus list`, global addresses with their interface', () => {
    const stopped = instance({
      name: 'c2',
      status: 'Stopped',
      ephemeral: true,
      state: { ...running, status: 'Stopped', network: null, pid: 0 },
      snapshots: [{ name: 's1' } as never, { name: 's2' } as never],
    });
    expect(instanceTable([instance({}), stopped]).split('\n')).toEqual([
      'NAME  STATE    IPV4              IPV6             TYPE                   SNAPSHOTS',
      'c1    RUNNING  10.0.3.15 (eth0)  fd42::15 (eth0)  CONTAINER              0',
      'c2    STOPPED  -                 -                CONTAINER (EPHEMERAL)  2',
    ]);
  });
});

describe('instanceInfoText', () => {
  it('shows identity, resources, network and snapshots of a running container', () => {
    const text = instanceInfoText(
      instance({
        snapshots: [{ name: 'snap0', created_at: '2025-01-03T00:00:00Z', stateful: true } as never],
      }),
    );
    expect(text).toContain(
      'Name: c1\nStatus: RUNNING\nType: container\nArchitecture: x86_64\nPID: 4242',
    );
    expect(text).toContain('Image: Debian bookworm');
    expect(text).toContain('  Processes: 7');
    expect(text).toContain('    root: 3.0M');
    expect(text).toContain('  CPU usage (in seconds): 3');
    expect(text).toContain('  Memory usage: 50M (peak 60M)');
    expect(text).toContain('    eth0: up, host veth1234, MAC 00:16:3e:00:00:01, MTU 1500');
    expect(text).toContain('      inet 10.0.3.15/24 (global)');
    expect(text).not.toContain('127.0.0.1');
    expect(text).toMatch(/Snapshots:\n {2}snap0 {2}2025-01-03T00:00:00Z {2}\(stateful\)$/);
  });

  it('leaves out the resources of a stopped container', () => {
    const text = instanceInfoText(
      instance({ status: 'Stopped', state: { ...running, status: 'Stopped', pid: 0 } }),
    );
    expect(text).not.toContain('PID');
    expect(text).not.toContain('Resources');
    expect(text).toMatch(/Snapshots: none$/);
  });
});
