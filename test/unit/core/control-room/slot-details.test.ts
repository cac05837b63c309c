import { describe, expect, test } from 'vitest';
import { slotDetails } from '../../../../src/core/control-room/slot-details.js';
import type { InstanceFull } from '../../../../src/incus/instance-types.js';
import { containerName } from '../../../../src/shared/naming.js';

function instance(): InstanceFull {
  return {
    name: containerName('/home/u/proj', 1, 'coi'),
    status: 'Running',
    created_at: '2026-11-23T10:00:00Z',
    config: {
      'image.description': 'coi-default',
      'user.coi.tool': 'claude',
      'user.coi.network_mode': 'allowlist',
      'user.coi.allowlist': JSON.stringify([{ name: 'api.anthropic.com', ports: [] }]),
      'user.coi.monitored': 'true',
    },
    expanded_config: { 'limits.cpu': '2', 'limits.memory': '4GiB', 'security.nesting': 'true' },
    expanded_devices: {
      root: { type: 'disk', path: '/', pool: 'default' },
      workspace: { type: 'disk', source: '/home/u/proj', path: '/workspace', shift: 'true' },
      'protect-0': {
        type: 'disk',
        source: '/home/u/proj/.git/hooks',
        path: '/workspace/.git/hooks',
        readonly: 'true',
      },
      'secret-0': {
        type: 'disk',
        source: '/x/empty-file',
        path: '/workspace/.env',
        readonly: 'true',
      },
    },
    snapshots: [{ name: 'snap-1', created_at: '2026-11-23T11:00:00Z' }],
  } as unknown as InstanceFull;
}

const rowsOf = (title: string) =>
  slotDetails(instance(), 'coi', 'running').find((s) => s.title === title)?.rows;

describe('slotDetails', () => {
  test('network: mode and allowlist from the user.coi keys', () => {
    expect(rowsOf('Network')).toEqual(
      expect.arrayContaining([
        ['Mode', 'allowlist'],
        ['Allowlist', 'api.anthropic.com'],
      ]),
    );
  });

  test('limits are the limits.* keys only', () => {
    expect(rowsOf('Limits')).toEqual([
      ['limits.cpu', '2'],
      ['limits.memory', '4GiB'],
    ]);
  });

  test('protected paths and secret masks are told apart from the other mounts', () => {
    expect(rowsOf('Mounts')).toEqual([['Mounts', '/workspace ← /home/u/proj']]);
    expect(rowsOf('Protection')).toEqual([
      ['Protected', '/workspace/.git/hooks'],
      ['Masked', '/workspace/.env'],
    ]);
  });

  test('snapshots and monitoring', () => {
    expect(rowsOf('Snapshots')).toEqual([['Snapshots', 'snap-1  2026-11-23T11:00:00Z']]);
    expect(rowsOf('Monitoring')).toEqual([
      ['Monitored', 'yes'],
      ['Daemon', 'running'],
    ]);
  });
});
