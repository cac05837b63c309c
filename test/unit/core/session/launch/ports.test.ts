import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../src/core/config/index.js';
import type { PortsConfig } from '../../../../../src/core/config/ports-schema.js';
import { LaunchError } from '../../../../../src/core/session/launch/launch-error.js';
import {
  blockPort,
  portLine,
  portsEnv,
  resolvePorts,
  type PortsRequest,
} from '../../../../../src/core/session/launch/ports.js';
import { workspaceHash } from '../../../../../src/shared/naming.js';

const WORKSPACE = '/home/dev/project';
const BLOCK_START = 20000 + (parseInt(workspaceHash(WORKSPACE).slice(0, 4), 16) % 400) * 100;

/** A host where `busy` ports are taken (EADDRINUSE) and the rest are free. */
function request(
  ports: Partial<PortsConfig>,
  busy: number[] = [],
  slot = 1,
): PortsRequest & { probed: string[] } {
  const probed: string[] = [];
  return {
    ports: { pool: 0, map: [], ...ports },
    identity: WORKSPACE,
    slot,
    probed,
    probe: async (address, port) => {
      probed.push(`${address}:${port}`);
      return busy.includes(port) ? 'EADDRINUSE' : undefined;
    },
    source: (key) => `~/.coi/config.toml (${key})`,
  };
}

describe('[ports] host port allocation', () => {
  it('gives each slot its own block of 10 in the identity’s neighbourhood, the same every time', () => {
    expect(blockPort(WORKSPACE, 1, 0)).toBe(BLOCK_START);
    expect(blockPort(WORKSPACE, 3, 4)).toBe(BLOCK_START + 24);
    expect(blockPort(WORKSPACE, 10, 9)).toBe(BLOCK_START + 99);
  });

  it('maps pool ports to the same number inside, then allocates unpinned entries, in the slot’s block', async () => {
    const req = request(
      { pool: 2, map: [{ name: 'web', container: 3000, listen: '127.0.0.1' }] },
      [],
      2,
    );
    const start = BLOCK_START + 10;
    const ports = await resolvePorts(req);
    expect(ports).toEqual([
      { name: 'pool-1', listen: '127.0.0.1', hostPort: start, containerPort: start, pool: true },
      {
        name: 'pool-2',
        listen: '127.0.0.1',
        hostPort: start + 1,
        containerPort: start + 1,
        pool: true,
      },
      { name: 'web', listen: '127.0.0.1', hostPort: start + 2, containerPort: 3000, pool: false },
    ]);
  });

  it('skips a busy port and one a pinned entry claims', async () => {
    const req = request(
      {
        pool: 1,
        map: [
          { name: 'api', container: 8080, host: BLOCK_START, listen: '127.0.0.1' },
          { name: 'web', container: 3000, listen: '0.0.0.0' },
        ],
      },
      [BLOCK_START + 1],
    );
    const ports = await resolvePorts(req);
    expect(ports.map((p) => [p.name, p.hostPort])).toEqual([
      ['pool-1', BLOCK_START + 2],
      ['api', BLOCK_START],
      ['web', BLOCK_START + 3],
    ]);
    // The unpinned entry is probed on the address it will listen on.
    expect(req.probed).toContain(`0.0.0.0:${BLOCK_START + 3}`);
  });

  it('refuses a pinned port in use as a config error naming the port, the key and the file', async () => {
    const req = request(
      { map: [{ name: 'web', container: 3000, host: 18080, listen: '127.0.0.1' }] },
      [18080],
    );
    const err = await resolvePorts(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      '~/.coi/config.toml (ports.map): ports.map[0].host: expected a host port that is free on 127.0.0.1 (for "web"); ' +
        'got 18080, which is already in use (EADDRINUSE); stop what listens there, pin another port, or leave "host" out to have one allocated',
    );
  });

  it('refuses a listen address that is not one of this host', async () => {
    const req = request({ map: [{ name: 'web', container: 3000, listen: '192.0.2.7' }] });
    req.probe = async () => 'EADDRNOTAVAIL';
    await expect(resolvePorts(req)).rejects.toThrow(
      /ports\.map\[0\]\.listen: expected an address of this host .*; got "192\.0\.2\.7"/,
    );
  });

  it('fails when the slot’s block is used up by other programs', async () => {
    const busy = Array.from({ length: 10 }, (_, i) => BLOCK_START + i);
    const err = await resolvePorts(request({ pool: 1 }, busy)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as Error).message).toContain(
      `no free host port left for ports.pool: slot 1's ports ${BLOCK_START}-${BLOCK_START + 9} are in use`,
    );
  });

  it('publishes nothing and probes nothing without [ports]', async () => {
    const req = request({});
    expect(await resolvePorts(req)).toEqual([]);
    expect(req.probed).toEqual([]);
  });
});

describe('[ports] in the session', () => {
  const ports = [
    { name: 'pool-1', listen: '127.0.0.1', hostPort: 23410, containerPort: 23410, pool: true },
    { name: 'pool-2', listen: '127.0.0.1', hostPort: 23411, containerPort: 23411, pool: true },
    { name: 'my-web', listen: '0.0.0.0', hostPort: 18080, containerPort: 3000, pool: false },
  ];

  it('sets COI_PORTS to the pool’s numbers and COI_PORT_<NAME> to each named host port', () => {
    expect(portsEnv(ports)).toEqual({ COI_PORTS: '23410 23411', COI_PORT_MY_WEB: '18080' });
    expect(portsEnv([])).toEqual({});
  });

  it('says what it published', () => {
    expect(ports.map(portLine)).toEqual([
      'Published pool port: localhost:23410 <-> container:23410',
      'Published pool port: localhost:23411 <-> container:23411',
      'Published port "my-web": 0.0.0.0:18080 -> container:3000 (COI_PORT_MY_WEB)',
    ]);
  });
});
