import { describe, expect, it } from 'vitest';
import { portLabel, publishedPorts } from '../../../src/shared/published-ports.js';

const proxy = (listen: string, connect: string) => ({
  type: 'proxy',
  bind: 'host',
  listen,
  connect,
});

describe('published ports read back from the devices', () => {
  const devices = {
    root: { type: 'disk', path: '/', pool: 'default' },
    'coi-port-web': proxy('tcp:127.0.0.1:18080', 'tcp:127.0.0.1:3000'),
    'coi-port-pool-1': proxy('tcp:127.0.0.1:23410', 'tcp:127.0.0.1:23410'),
    'coi-port-api': proxy('tcp:0.0.0.0:18081', 'tcp:127.0.0.1:8080'),
    'coi-port-v6': proxy('tcp:[::1]:18082', 'tcp:127.0.0.1:80'),
    // Not coi's, or not a TCP port: ignored.
    'socket-0': proxy('unix:/run/x.sock', 'unix:/run/x.sock'),
    'coi-port-odd': proxy('udp:127.0.0.1:1', 'udp:127.0.0.1:1'),
  };

  it('lists the coi-port-* proxies by host port, pool ports marked', () => {
    expect(publishedPorts(devices)).toEqual([
      { name: 'web', listen: '127.0.0.1', hostPort: 18080, containerPort: 3000, pool: false },
      { name: 'api', listen: '0.0.0.0', hostPort: 18081, containerPort: 8080, pool: false },
      { name: 'v6', listen: '::1', hostPort: 18082, containerPort: 80, pool: false },
      { name: 'pool-1', listen: '127.0.0.1', hostPort: 23410, containerPort: 23410, pool: true },
    ]);
    expect(publishedPorts(undefined)).toEqual([]);
  });

  it('labels them as the Go coi’s `coi list`: the pool by number, others name:host->container', () => {
    expect(publishedPorts(devices).map(portLabel)).toEqual([
      'web:18080->3000',
      'api:0.0.0.0:18081->8080',
      'v6:[::1]:18082->80',
      '23410',
    ]);
  });
});
