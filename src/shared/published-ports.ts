import type { DeviceMap } from '../incus/instance-types.js';

/**
 * Published ports live on the container as Incus proxy devices named `coi-port-<name>` (the pool's
 * as `coi-port-pool-<n>`), listening on the host (`bind=host`) and connecting to the container's
 * loopback. Everything that shows them reads them back from the devices.
 */

export const PORT_DEVICE_PREFIX = 'coi-port-';
const POOL_DEVICE = /^pool-\d+$/;

export interface PublishedPort {
  /** The `[[ports.map]]` name, or `pool-<n>`. */
  name: string;
  /** Host address the proxy listens on. */
  listen: string;
  hostPort: number;
  containerPort: number;
  /** A pool port: the same number on both sides. */
  pool: boolean;
}

export function portDeviceName(name: string): string {
  return `${PORT_DEVICE_PREFIX}${name.toLowerCase().replace(/_/g, '-')}`;
}

/** The proxy address `tcp:127.0.0.1:8080` / `tcp:[::1]:8080`. */
export function tcpAddress(address: string, port: number): string {
  return `tcp:${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function parseTcpAddress(spec: string | undefined): { address: string; port: number } | undefined {
  const match = /^tcp:(\[[^\]]+\]|[^:]+):(\d+)$/.exec(spec ?? '');
  if (!match) return undefined;
  return { address: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/** The container's published ports, by host port. */
export function publishedPorts(devices: DeviceMap | undefined): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const [device, config] of Object.entries(devices ?? {})) {
    if (!device.startsWith(PORT_DEVICE_PREFIX) || config.type !== 'proxy') continue;
    const listen = parseTcpAddress(config.listen);
    const connect = parseTcpAddress(config.connect);
    if (!listen || !connect) continue;
    const name = device.slice(PORT_DEVICE_PREFIX.length);
    ports.push({
      name,
      listen: listen.address,
      hostPort: listen.port,
      containerPort: connect.port,
      pool: POOL_DEVICE.test(name) && listen.port === connect.port,
    });
  }
  return ports.sort((a, b) => a.hostPort - b.hostPort);
}

/**
 * As the Go coi's `coi list` shows a port: a pool port as its number, a named one as
 * `name:host->container`, the host prefixed by its address when that is not loopback.
 */
export function portLabel(port: PublishedPort): string {
  if (port.pool) return String(port.hostPort);
  const address = port.listen.includes(':') ? `[${port.listen}]` : port.listen;
  const host = port.listen === '127.0.0.1' ? `${port.hostPort}` : `${address}:${port.hostPort}`;
  return `${port.name}:${host}->${port.containerPort}`;
}
