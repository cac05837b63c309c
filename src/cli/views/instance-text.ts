import type { InstanceFull, NetworkAddress } from '../../incus/instance-types.js';
import { portLabel, publishedPorts } from '../../shared/published-ports.js';
import { formatBytes } from '../../ui/format/units.js';
import { formatTable } from '../table.js';

/** The global addresses of one family, each with its interface: `10.0.3.15 (eth0)`. */
function addresses(instance: InstanceFull, family: NetworkAddress['family']): string[] {
  return Object.entries(instance.state?.network ?? {}).flatMap(([nic, net]) =>
    net.addresses
      .filter((a) => a.family === family && a.scope === 'global')
      .map((a) => `${a.address} (${nic})`),
  );
}

/** `coi container list`: the columns of `incus list`. */
export function instanceTable(instances: InstanceFull[]): string {
  return formatTable(
    ['NAME', 'STATE', 'IPV4', 'IPV6', 'TYPE', 'SNAPSHOTS'],
    instances.map((i) => [
      i.name,
      i.status.toUpperCase(),
      addresses(i, 'inet').join(', ') || '-',
      addresses(i, 'inet6').join(', ') || '-',
      `${i.type.toUpperCase()}${i.ephemeral ? ' (EPHEMERAL)' : ''}`,
      String(i.snapshots?.length ?? 0),
    ]),
  );
}

/** `coi container info`: what `incus info` shows of an instance. */
export function instanceInfoText(i: InstanceFull): string {
  const lines = [
    `Name: ${i.name}`,
    `Status: ${i.status.toUpperCase()}`,
    `Type: ${i.type}${i.ephemeral ? ' (ephemeral)' : ''}`,
    `Architecture: ${i.architecture}`,
    ...(i.state?.pid ? [`PID: ${i.state.pid}`] : []),
    `Created: ${i.created_at}`,
    `Last Used: ${i.last_used_at}`,
    `Image: ${i.config['image.description'] ?? i.config['volatile.base_image'] ?? '-'}`,
    `Profiles: ${i.profiles.join(', ') || '-'}`,
  ];
  const ports = publishedPorts(i.expanded_devices);
  if (ports.length) lines.push(`Ports: ${ports.map(portLabel).join(', ')}`);
  const state = i.state;
  if (state && state.status === 'Running') {
    lines.push('', 'Resources:', `  Processes: ${state.processes}`);
    const disks = Object.entries(state.disk ?? {});
    if (disks.length) {
      lines.push('  Disk usage:');
      for (const [device, d] of disks) lines.push(`    ${device}: ${formatBytes(d.usage)}`);
    }
    lines.push(
      `  CPU usage (in seconds): ${Math.round(state.cpu.usage / 1e9)}`,
      `  Memory usage: ${formatBytes(state.memory.usage)} (peak ${formatBytes(state.memory.usage_peak)})`,
    );
    const nics = Object.entries(state.network ?? {}).filter(([nic]) => nic !== 'lo');
    if (nics.length) lines.push('  Network:');
    for (const [nic, net] of nics) {
      lines.push(
        `    ${nic}: ${net.state}, host ${net.host_name || '-'}, MAC ${net.hwaddr}, MTU ${net.mtu}`,
        `      Received ${formatBytes(net.counters.bytes_received)}, sent ${formatBytes(net.counters.bytes_sent)}`,
        ...net.addresses.map((a) => `      ${a.family} ${a.address}/${a.netmask} (${a.scope})`),
      );
    }
  }
  const snapshots = i.snapshots ?? [];
  lines.push('', snapshots.length ? 'Snapshots:' : 'Snapshots: none');
  for (const s of snapshots)
    lines.push(`  ${s.name}  ${s.created_at}${s.stateful ? '  (stateful)' : ''}`);
  return lines.join('\n');
}
