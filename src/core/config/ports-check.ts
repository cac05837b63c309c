import type { ConfigIssue } from './errors.js';
import { PORT_BLOCK, type PortsConfig } from './ports-schema.js';

/**
 * `[ports] pool` and the unpinned `[[ports.map]]` entries share one slot's block of host ports,
 * and may come from different files; reported against the file that set the map.
 */
export function portsIssues(ports: PortsConfig, from: (key: string) => string): ConfigIssue[] {
  const unpinned = ports.map.filter((entry) => !entry.host).length;
  if (ports.pool + unpinned <= PORT_BLOCK) return [];
  return [
    {
      file: from(unpinned > 0 ? 'ports.map' : 'ports.pool'),
      key: 'ports.map',
      expected: `at most ${PORT_BLOCK} automatically allocated ports (ports.pool plus [[ports.map]] entries without "host")`,
      got: `${ports.pool + unpinned} (pool ${ports.pool} + ${unpinned} unpinned)`,
      hint: 'pin "host" on the other entries',
    },
  ];
}
