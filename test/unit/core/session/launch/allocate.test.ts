import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../../../src/core/config/index.js';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import type { LaunchRequest } from '../../../../../src/core/session/launch.js';
import type { LaunchFacts } from '../../../../../src/core/session/launch/facts.js';
import { allocate } from '../../../../../src/core/session/launch/allocate.js';
import { LaunchError } from '../../../../../src/core/session/launch/launch-error.js';
import { planLaunch } from '../../../../../src/core/session/launch/plan.js';
import { COI_KEYS } from '../../../../../src/shared/instance-keys.js';
import { containerName, sessionIdentity } from '../../../../../src/shared/naming.js';
import { Reverter } from '../../../../../src/shared/revert.js';
import { FakeIncus, type SeededInstance } from '../../../../helpers/fake-incus.js';
import { PREFIX, WORKSPACE, facts, launchRequest } from './fixtures.js';
import { IncusError } from '../../../../../src/incus/errors.js';

/** The bridge of the fixtures' default profile, with room for six hosts. */
const BRIDGE = { name: 'profilebr0', config: { 'ipv4.address': '10.20.30.1/29' } };

let coiDir: string;
let incus: FakeIncus;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-allocate-'));
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

function slotName(slot: number): string {
  return containerName(WORKSPACE, slot, PREFIX);
}

/** Allocates for a fresh `coi shell` of the workspace; returns the placement and its reverter. */
async function allocateNew(
  opts: {
    overrides?: ConfigOverrides;
    over?: Partial<LaunchRequest>;
    facts?: Partial<LaunchFacts>;
  } = {},
) {
  const req = launchRequest(incus, coiDir, opts.overrides, opts.over);
  const plan = planLaunch(facts(opts.facts), req);
  const revert = new Reverter();
  const placed = await allocate(req, plan, { protectedPaths: [] }, revert);
  return { placed, revert };
}

/** Another launch creating `name` right after this one listed the names. */
function concurrentCreate(name: string): void {
  const list = incus.instances.names.bind(incus.instances);
  vi.spyOn(incus.instances, 'names').mockImplementationOnce(async () => {
    const seen = await list();
    await (await incus.instances.create({ name, image: { alias: 'other' } })).wait();
    return seen;
  });
}

describe('allocate: the slot', () => {
  it('creates the container stopped in the lowest free slot, saying so after the image note', async () => {
    incus = new FakeIncus(
      [{ name: slotName(1) }, { name: slotName(3), status: 'Stopped' }],
      [BRIDGE],
    );
    const steps: string[] = [];
    const note = 'Image coi-default is not built yet (run `coi build`); using the base image b';
    const { placed } = await allocateNew({
      over: { onStep: (s) => steps.push(s) },
      facts: { image: { image: 'b', note } },
    });
    expect(placed).toMatchObject({ container: slotName(2), slot: 2 });
    const created = incus.instances.all.get(slotName(2))!;
    expect(created.status).toBe('Stopped');
    expect(created.config[COI_KEYS.slot]).toBe('2');
    expect(steps).toEqual([
      note,
      'Auto-allocated slot 2',
      `Launching container ${slotName(2)} from image b...`,
    ]);
  });

  it('a name another launch took meanwhile moves on to the next slot', async () => {
    incus = new FakeIncus([{ name: slotName(1) }], [BRIDGE]);
    concurrentCreate(slotName(2));
    const { placed, revert } = await allocateNew();
    expect(placed).toMatchObject({ container: slotName(3), slot: 3 });
    // The other launch's container is its own: rolling this one back leaves it.
    await revert.fail();
    expect([...incus.instances.all.keys()].sort()).toEqual([slotName(1), slotName(2)].sort());
  });

  it('an explicit --slot that is taken is refused, naming the container and what to do', async () => {
    incus = new FakeIncus([{ name: slotName(4), status: 'Stopped' }], [BRIDGE]);
    await expect(allocateNew({ over: { slot: 4 } })).rejects.toThrow(
      new LaunchError(
        `slot 4 is taken by ${slotName(4)}: attach with \`coi attach ${slotName(4)}\`, pick another --slot, or leave out --slot for the lowest free one`,
      ),
    );
    expect(incus.calls.filter((c) => c.startsWith('instances.create'))).toEqual([]);
  });

  it('an explicit --slot another launch took meanwhile is refused too, not moved', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    concurrentCreate(slotName(4));
    await expect(allocateNew({ over: { slot: 4 } })).rejects.toThrow(
      `slot 4 is taken by ${slotName(4)}`,
    );
    expect([...incus.instances.all.keys()]).toEqual([slotName(4)]);
  });

  it('rolling back deletes the created container, even once it runs', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const { placed, revert } = await allocateNew();
    await (await incus.instances.start(placed.container)).wait();
    expect(await revert.fail()).toEqual([]);
    expect(incus.instances.all.has(placed.container)).toBe(false);
  });

  it('a persistent container to reuse is placed as it is, nothing created', async () => {
    const name = slotName(2);
    const stopped: SeededInstance = {
      name,
      status: 'Stopped',
      config: { [COI_KEYS.persistent]: 'true' },
      devices: { eth0: { type: 'nic', network: 'oldbr0', 'ipv4.address': '10.0.0.9' } },
    };
    incus = new FakeIncus([stopped]);
    const req = launchRequest(incus, coiDir, { container: { persistent: true } });
    const plan = planLaunch(facts({ instances: await incus.instances.list() }), req);
    const revert = new Reverter();
    expect(await allocate(req, plan, { protectedPaths: [] }, revert)).toEqual({
      container: name,
      slot: 2,
      ip: '10.0.0.9',
      ports: [],
    });
    await revert.fail();
    expect(incus.instances.all.has(name)).toBe(true);
    expect(incus.calls.filter((c) => c.startsWith('instances.create'))).toEqual([]);
  });
});

describe('allocate: session_name and alias', () => {
  it('names the container by [container] session_name instead of the workspace path, recording the alias', async () => {
    const named = (slot: number) =>
      containerName(sessionIdentity(WORKSPACE, 'shared'), slot, PREFIX);
    incus = new FakeIncus([{ name: named(1) }, { name: slotName(2) }], [BRIDGE]);
    const { placed } = await allocateNew({
      overrides: { container: { session_name: 'shared', alias: 'proj' } },
    });
    expect(placed).toMatchObject({ container: named(2), slot: 2 });
    expect(named(2)).not.toBe(slotName(2));
    const created = incus.instances.all.get(named(2))!;
    expect(created.config[COI_KEYS.alias]).toBe('proj');
    expect(created.config[COI_KEYS.workspace]).toBe(WORKSPACE);
  });
});

describe('allocate: a session_name reused from another checkout', () => {
  it('moves the workspace mount and its protected paths to this checkout', async () => {
    const name = containerName(sessionIdentity(WORKSPACE, 'shared'), 1, PREFIX);
    const old = '/old/checkout';
    incus = new FakeIncus([
      {
        name,
        status: 'Stopped',
        config: { [COI_KEYS.persistent]: 'true', [COI_KEYS.workspace]: old },
        devices: {
          eth0: { type: 'nic', network: 'oldbr0', 'ipv4.address': '10.0.0.9' },
          workspace: { type: 'disk', source: old, path: '/workspace', shift: 'true' },
          'protect-0': { type: 'disk', source: `${old}/.git/hooks`, path: '/workspace/.git/hooks' },
          'mount-0': { type: 'disk', source: `${old}/data`, path: '/data' },
        },
      },
    ]);
    const steps: string[] = [];
    const req = launchRequest(
      incus,
      coiDir,
      { container: { persistent: true, session_name: 'shared' } },
      { onStep: (s) => steps.push(s) },
    );
    const plan = planLaunch(facts({ instances: await incus.instances.list() }), req);
    expect((await allocate(req, plan, { protectedPaths: [] }, new Reverter())).container).toBe(
      name,
    );
    const { devices, config } = incus.instances.all.get(name)!;
    expect(devices.workspace).toEqual({
      type: 'disk',
      source: WORKSPACE,
      path: '/workspace',
      shift: 'true',
    });
    expect(devices['protect-0']?.source).toBe(`${WORKSPACE}/.git/hooks`);
    // A configured mount is not the workspace's: left as it is.
    expect(devices['mount-0']?.source).toBe(`${old}/data`);
    expect(config[COI_KEYS.workspace]).toBe(WORKSPACE);
    expect(steps).toContain(`Mounting ${WORKSPACE} as /workspace (it was ${old})`);
  });
});

describe('allocate: the address', () => {
  it('pins the highest address of the bridge subnet that no instance pins and no lease holds', async () => {
    const elsewhere: SeededInstance = {
      name: 'other-1',
      devices: { eth0: { type: 'nic', network: 'profilebr0', 'ipv4.address': '10.20.30.6' } },
    };
    incus = new FakeIncus([elsewhere], [{ ...BRIDGE, leases: ['10.20.30.5'] }]);
    const { placed } = await allocateNew();
    expect(placed.ip).toBe('10.20.30.4');
    expect(incus.instances.all.get(placed.container)!.devices.eth0).toMatchObject({
      type: 'nic',
      network: 'profilebr0',
      'ipv4.address': '10.20.30.4',
    });
  });

  it('a bridge without an IPv4 subnet is refused before anything is created', async () => {
    incus = new FakeIncus([], [{ name: 'profilebr0', config: { 'ipv4.address': 'none' } }]);
    await expect(allocateNew()).rejects.toThrow(
      /bridge profilebr0 has no IPv4 subnet \(ipv4\.address is "none"\).*incus network set/,
    );
    expect(incus.instances.all.size).toBe(0);
  });

  it('a full subnet is refused before anything is created', async () => {
    const leases = ['10.20.30.2', '10.20.30.3', '10.20.30.4', '10.20.30.5', '10.20.30.6'];
    incus = new FakeIncus([], [{ ...BRIDGE, leases }]);
    await expect(allocateNew()).rejects.toThrow(/no free IPv4 address left in 10\.20\.30\.1\/29/);
    expect(incus.instances.all.size).toBe(0);
  });
});

describe('allocate: [ports]', () => {
  /** A port something on this host listens on, until `close`. */
  async function listening(): Promise<{ port: number; server: Server }> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return { port: (server.address() as { port: number }).port, server };
  }

  async function freePort(): Promise<number> {
    const { port, server } = await listening();
    await new Promise((done) => server.close(done));
    return port;
  }

  it('creates the container with a proxy device per port, listening on the host', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const host = await freePort();
    const { placed } = await allocateNew({
      overrides: { ports: { map: [{ name: 'web', container: 3000, host, listen: '127.0.0.1' }] } },
    });
    expect(placed.ports).toEqual([
      { name: 'web', listen: '127.0.0.1', hostPort: host, containerPort: 3000, pool: false },
    ]);
    expect(incus.instances.all.get(placed.container)!.devices['coi-port-web']).toEqual({
      type: 'proxy',
      bind: 'host',
      listen: `tcp:127.0.0.1:${host}`,
      connect: 'tcp:127.0.0.1:3000',
    });
  });

  it('refuses a pinned host port in use before anything is created', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const { port, server } = await listening();
    try {
      const attempt = allocateNew({
        overrides: {
          ports: { map: [{ name: 'web', container: 3000, host: port, listen: '127.0.0.1' }] },
        },
      });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(
        `command line: ports.map[0].host: expected a host port that is free on 127.0.0.1 (for "web"); got ${port}, which is already in use`,
      );
    } finally {
      server.close();
    }
    expect(incus.calls.filter((c) => c.startsWith('instances.create'))).toEqual([]);
  });

  it('replaces a reused container’s port devices with this launch’s and drops its host sockets', async () => {
    const name = slotName(1);
    const host = await freePort();
    incus = new FakeIncus([
      {
        name,
        status: 'Stopped',
        config: { [COI_KEYS.persistent]: 'true' },
        devices: {
          eth0: { type: 'nic', network: 'oldbr0', 'ipv4.address': '10.0.0.9' },
          'coi-port-old': {
            type: 'proxy',
            bind: 'host',
            listen: 'tcp:127.0.0.1:1',
            connect: 'tcp:127.0.0.1:1',
          },
          'socket-0': { type: 'proxy', listen: 'unix:/run/x.sock', connect: 'unix:/run/x.sock' },
          'ssh-agent': { type: 'proxy', listen: 'unix:/run/a.sock', connect: 'unix:/run/a.sock' },
        },
      },
    ]);
    const req = launchRequest(incus, coiDir, {
      container: { persistent: true },
      ports: { map: [{ name: 'web', container: 3000, host, listen: '127.0.0.1' }] },
    });
    const plan = planLaunch(facts({ instances: await incus.instances.list() }), req);
    const placed = await allocate(req, plan, { protectedPaths: [] }, new Reverter());
    expect(placed.ports.map((p) => p.hostPort)).toEqual([host]);
    const { devices } = incus.instances.all.get(name)!;
    expect(Object.keys(devices).sort()).toEqual(['coi-port-web', 'eth0']);
  });
});

describe('allocate: the id map', () => {
  it('creates the container with an isolated id map', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const { placed } = await allocateNew();
    expect(incus.instances.all.get(placed.container)!.config['security.idmap.isolated']).toBe(
      'true',
    );
  });

  it('shares the default map, as it says, where the host has no id range left', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const create = incus.instances.create.bind(incus.instances);
    const shortage =
      'Failed creating instance record: Not enough uid/gid available for the container';
    vi.spyOn(incus.instances, 'create').mockImplementation((opts) =>
      opts.config?.['security.idmap.isolated'] === 'true'
        ? Promise.reject(new IncusError(shortage, 400))
        : create(opts),
    );
    const steps: string[] = [];
    const { placed } = await allocateNew({ over: { onStep: (s) => steps.push(s) } });
    const created = incus.instances.all.get(placed.container)!;
    expect(created.config['security.idmap.isolated']).toBe('false');
    expect(created.config[COI_KEYS.slot]).toBe('1');
    expect(steps).toContain(
      `The host has no id range left for ${placed.container} to have its own (${shortage}); it shares ` +
        'the id map of other unprivileged containers: give root more ids in /etc/subuid and /etc/subgid',
    );
  });

  it('other create failures are not retried', async () => {
    incus = new FakeIncus([], [BRIDGE]);
    const spy = vi
      .spyOn(incus.instances, 'create')
      .mockRejectedValue(new IncusError('Failed to load image', 400));
    await expect(allocateNew()).rejects.toThrow('Failed to load image');
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('allocate: a reused container', () => {
  it('takes the kernel surface the config asks for now', async () => {
    const name = slotName(1);
    incus = new FakeIncus([
      {
        name,
        status: 'Stopped',
        config: {
          [COI_KEYS.persistent]: 'true',
          'security.nesting': 'true',
          'security.syscalls.intercept.mknod': 'true',
        },
        devices: { eth0: { type: 'nic', network: 'oldbr0', 'ipv4.address': '10.0.0.9' } },
      },
    ]);
    const reuse = async (security: ConfigOverrides['security']) => {
      const req = launchRequest(incus, coiDir, { container: { persistent: true }, security });
      const plan = planLaunch(facts({ instances: await incus.instances.list() }), req);
      await allocate(req, plan, { protectedPaths: [] }, new Reverter());
      return incus.instances.all.get(name)!.config;
    };
    expect(await reuse({ reduce_kernel_surface: true })).toMatchObject({
      'security.nesting': 'false',
      'security.syscalls.intercept.mknod': 'false',
      'security.syscalls.deny': expect.stringContaining('io_uring_setup errno 1'),
    });
    const relaxed = await reuse({ reduce_kernel_surface: false });
    expect(relaxed['security.nesting']).toBe('true');
    expect(relaxed['security.syscalls.deny']).toBeUndefined();
  });
});
