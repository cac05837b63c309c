import type { DeviceMap } from '../../../incus/instance-types.js';
import { workspaceHash } from '../../../shared/naming.js';
import { portDeviceName, tcpAddress, type PublishedPort } from '../../../shared/published-ports.js';
import { ConfigError } from '../../config/errors.js';
import { PORT_BLOCK, type PortsConfig } from '../../config/ports-schema.js';
import { LaunchError } from './launch-error.js';

/**
 * Host ports for `[ports]`. Each identity gets a neighbourhood of 100 host ports from its hash and
 * each slot a block of PORT_BLOCK in it, so parallel slots and other workspaces land on distinct
 * ports that stay the same from one launch to the next (the Go coi's layout):
 *
 *   host = 20000 + (first 4 hex digits of the hash % 400) * 100 + (slot - 1) * 10 + index
 *
 * The pool takes the block's first free ports, then the unpinned map entries; a busy port is
 * skipped. A pinned port never moves: busy, it stops the launch.
 */

const BASE = 20000;
const NEIGHBOURHOODS = 400;
const NEIGHBOURHOOD_SIZE = 100;

/** The index-th port of the slot's block. */
export function blockPort(identity: string, slot: number, index: number): number {
  const neighbourhood = parseInt(workspaceHash(identity).slice(0, 4), 16) % NEIGHBOURHOODS;
  return BASE + neighbourhood * NEIGHBOURHOOD_SIZE + (slot - 1) * PORT_BLOCK + index;
}

export interface PortsRequest {
  ports: PortsConfig;
  identity: string;
  slot: number;
  /** undefined when the port is free at that address, else the error code binding it gave. */
  probe: (address: string, port: number) => Promise<string | undefined>;
  /** The file that set a key, for messages. */
  source: (key: string) => string;
}

/** The ports to publish, each checked free on the host; throws before anything is created. */
export async function resolvePorts(req: PortsRequest): Promise<PublishedPort[]> {
  const { ports, identity, slot } = req;
  const pinned = new Set(ports.map.flatMap((entry) => (entry.host ? [entry.host] : [])));
  let next = 0;
  const allocate = async (listen: string, what: string): Promise<number> => {
    for (; next < PORT_BLOCK; next++) {
      const port = blockPort(identity, slot, next);
      if (pinned.has(port) || !(await free(req, listen, port))) continue;
      next++;
      return port;
    }
    const [first, last] = [blockPort(identity, slot, 0), blockPort(identity, slot, PORT_BLOCK - 1)];
    throw new LaunchError(
      `no free host port left for ${what}: slot ${slot}'s ports ${first}-${last} are in use by other programs; free some, or pin "host" in [[ports.map]]`,
    );
  };

  const published: PublishedPort[] = [];
  for (let i = 1; i <= ports.pool; i++) {
    const port = await allocate('127.0.0.1', 'ports.pool');
    published.push({
      name: `pool-${i}`,
      listen: '127.0.0.1',
      hostPort: port,
      containerPort: port,
      pool: true,
    });
  }
  for (const [index, entry] of ports.map.entries()) {
    const key = `ports.map[${index}]`;
    let hostPort = entry.host;
    if (hostPort) {
      const problem = await req.probe(entry.listen, hostPort);
      if (problem && problem !== 'EACCES') throw pinnedUnavailable(req, index, hostPort, problem);
    } else hostPort = await allocate(entry.listen, `${key} "${entry.name}"`);
    published.push({
      name: entry.name,
      listen: entry.listen,
      hostPort,
      containerPort: entry.container,
      pool: false,
    });
  }
  return published;
}

/** Whether an allocated port may be taken; a bad address is the config's fault. */
async function free(req: PortsRequest, listen: string, port: number): Promise<boolean> {
  const problem = await req.probe(listen, port);
  if (problem === 'EADDRNOTAVAIL') throw badListen(req, listen);
  // Only the Incus daemon (root) binds: a privileged port we may not bind may still be free.
  return problem === undefined || problem === 'EACCES';
}

function pinnedUnavailable(
  req: PortsRequest,
  index: number,
  port: number,
  problem: string,
): ConfigError {
  const entry = req.ports.map[index]!;
  if (problem === 'EADDRNOTAVAIL') return badListen(req, entry.listen);
  return new ConfigError([
    {
      file: req.source('ports.map'),
      key: `ports.map[${index}].host`,
      expected: `a host port that is free on ${entry.listen} (for "${entry.name}")`,
      got: `${port}, which is already in use (${problem})`,
      hint: 'stop what listens there, pin another port, or leave "host" out to have one allocated',
    },
  ]);
}

function badListen(req: PortsRequest, listen: string): ConfigError {
  const index = req.ports.map.findIndex((entry) => entry.listen === listen);
  return new ConfigError([
    {
      file: req.source('ports.map'),
      key: `ports.map[${index}].listen`,
      expected: 'an address of this host such as "127.0.0.1" or "0.0.0.0"',
      got: JSON.stringify(listen),
    },
  ]);
}

/** One proxy device per port: listening on the host, connecting to the container's loopback. */
export function portDevices(ports: readonly PublishedPort[]): DeviceMap {
  return Object.fromEntries(
    ports.map((port) => [
      portDeviceName(port.name),
      {
        type: 'proxy',
        bind: 'host',
        listen: tcpAddress(port.listen, port.hostPort),
        connect: tcpAddress('127.0.0.1', port.containerPort),
      },
    ]),
  );
}

/** COI_PORTS (the pool's numbers) and COI_PORT_<NAME> (each named port's host port). */
export function portsEnv(ports: readonly PublishedPort[]): Record<string, string> {
  const env: Record<string, string> = {};
  const pool = ports.filter((port) => port.pool).map((port) => String(port.hostPort));
  if (pool.length > 0) env.COI_PORTS = pool.join(' ');
  for (const port of ports) {
    if (!port.pool) env[portEnvName(port.name)] = String(port.hostPort);
  }
  return env;
}

export function portEnvName(name: string): string {
  return `COI_PORT_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** What the launch says about each port. */
export function portLine(port: PublishedPort): string {
  return port.pool
    ? `Published pool port: localhost:${port.hostPort} <-> container:${port.containerPort}`
    : `Published port "${port.name}": ${port.listen}:${port.hostPort} -> container:${port.containerPort} (${portEnvName(port.name)})`;
}
