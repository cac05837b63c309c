import type { InstanceFull } from '../../incus/instance-types.js';
import { toCoiContainer } from '../../shared/coi-container.js';
import { portLabel } from '../../shared/published-ports.js';
import type { DetailSection } from './slot-view-types.js';

/** Whether the monitor daemon answered, as the details panel reports it. */
export type MonitorDaemonState = 'running' | 'not running';

const none = (values: string[]) => (values.length ? values : ['none']);

/** One row per value, the label on the first only. */
function listRows(label: string, values: string[]): Array<[string, string]> {
  return none(values).map((v, i) => [i === 0 ? label : '', v]);
}

function disks(instance: InstanceFull) {
  return Object.entries(instance.expanded_devices ?? {})
    .filter(([, d]) => d.type === 'disk' && d.path && d.path !== '/')
    .map(([device, d]) => ({
      device,
      path: d.path!,
      source: d.source ?? '',
      readonly: d.readonly === 'true',
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The details panel of a coi container: what it runs, its network, limits, mounts (the
 * protected paths and secret masks coi lays over the workspace separated out), snapshots and
 * monitoring, from its config, devices and `user.coi.*` keys.
 */
export function slotDetails(
  instance: InstanceFull,
  prefix: string,
  monitor: MonitorDaemonState,
): DetailSection[] {
  const c = toCoiContainer(instance, prefix);
  if (!c) return [{ title: instance.name, rows: [['', 'not a coi container']] }];
  const mounts = disks(instance);
  const byKind = (re: RegExp) => mounts.filter((m) => re.test(m.device));
  const limits = Object.entries(instance.expanded_config ?? {})
    .filter(([k]) => k.startsWith('limits.'))
    .sort(([a], [b]) => a.localeCompare(b));
  const allowlist = c.allowlist?.map((d) => d.name) ?? [];
  return [
    {
      title: 'Container',
      rows: [
        ['Name', c.name + (c.alias ? ` (alias ${c.alias})` : '')],
        ['Status', c.status],
        ['Image', c.image || '-'],
        ['Tool', c.tool || '-'],
        ['Profile', c.profile || '-'],
        ['Persistent', c.persistent ? 'yes' : 'no (ephemeral session)'],
        ['Workspace', c.workspace || '-'],
        ['Created', c.createdAt],
      ],
    },
    {
      title: 'Network',
      rows: [
        ['Mode', c.networkMode ?? 'not recorded'],
        ['IPv4', c.ipv4 || '-'],
        ...(c.pinnedIpv4 && c.pinnedIpv4 !== c.ipv4
          ? [['Pinned IPv4', c.pinnedIpv4] as [string, string]]
          : []),
        ...(c.networkMode === 'allowlist' ? listRows('Allowlist', allowlist) : []),
        ...listRows(
          'Hosts',
          c.hosts.map((h) => `${h.ip} ${h.hostnames.join(' ')}`),
        ),
        ...listRows('Ports', c.ports.map(portLabel)),
      ],
    },
    { title: 'Limits', rows: limits.length ? limits : [['', 'none']] },
    {
      title: 'Mounts',
      rows: listRows(
        'Mounts',
        byKind(/^(?!protect-|secret-)/).map(
          (m) => `${m.path} ← ${m.source || m.device}${m.readonly ? ' (read-only)' : ''}`,
        ),
      ),
    },
    {
      title: 'Protection',
      rows: [
        ...listRows(
          'Protected',
          byKind(/^protect-/).map((m) => m.path),
        ),
        ...listRows(
          'Masked',
          byKind(/^secret-/).map((m) => m.path),
        ),
      ],
    },
    {
      title: 'Snapshots',
      rows: listRows(
        'Snapshots',
        (instance.snapshots ?? []).map((s) => `${s.name}  ${s.created_at}`),
      ),
    },
    {
      title: 'Monitoring',
      rows: [
        ['Monitored', c.monitored ? 'yes' : 'no'],
        ['Daemon', monitor],
        ...(c.frozenBy === 'threat'
          ? [['Frozen', 'by the threat responder'] as [string, string]]
          : []),
      ],
    },
  ];
}
