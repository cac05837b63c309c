import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncusClient } from '../../../src/incus/client.js';
import type { IncusError } from '../../../src/incus/errors.js';
import {
  IncusConflictError,
  IncusInstanceRunningError,
  IncusNotFoundError,
  IncusOperationError,
  IncusPreconditionFailedError,
  IncusUnavailableError,
  IncusValidationError,
} from '../../../src/incus/errors.js';
import { Incus } from '../../../src/incus/index.js';
import { UnixTransport } from '../../../src/incus/transport.js';
import {
  BASE_IMAGE,
  deleteTestContainer,
  launchTestContainer,
  stallInit,
  testName,
} from '../../helpers/testbed.js';

const incus = Incus.local();
let main: string;

beforeAll(async () => {
  await incus.connect();
  main = await launchTestContainer('inst', { config: { 'user.coi.test': 'instances a.b' } });
});

afterAll(async () => {
  await incus.close();
});

describe('listing', () => {
  it('filters server-side on exact values (regex metacharacters escaped, spaces without quotes)', async () => {
    expect(await incus.instances.names({ name: main })).toEqual([main]);
    expect(await incus.instances.names({ 'config.user.coi.test': 'instances a.b' })).toEqual([
      main,
    ]);
    // "." is literal: "instances aXb" must not match "instances a.b", nor the other way round.
    expect(await incus.instances.names({ 'config.user.coi.test': 'instances a?b' })).toEqual([]);
    expect(await incus.instances.names({ name: main.toUpperCase() })).toEqual([]);
    expect(
      await incus.instances.names([{ field: 'config.user.coi.test', pattern: 'instances\\sa.b' }]),
    ).toEqual([main]);
  });

  it('lists objects (recursion 1) and objects with state (recursion 2)', async () => {
    const [one] = await incus.instances.list({ name: main });
    expect(one?.name).toBe(main);
    expect(one?.config['user.coi.test']).toBe('instances a.b');
    const [full] = await incus.instances.listFull({ name: main });
    expect(full?.state?.status).toBe('Running');
    expect(full?.snapshots ?? []).toEqual([]);
  });
});

describe('reading', () => {
  it('gets an instance with its ETag', async () => {
    const { value, etag } = await incus.instances.get(main);
    expect(value.status).toBe('Running');
    expect(etag).toMatch(/^"?[0-9a-f]{64}"?$/);
  });

  it('reports live state: cpu, memory, network counters and host veth, processes, init pid', async () => {
    const state = await incus.instances.state(main);
    expect(state.status).toBe('Running');
    expect(state.cpu.usage).toBeGreaterThan(0);
    expect(state.memory.usage).toBeGreaterThan(0);
    expect(state.memory.usage_peak).toBeGreaterThanOrEqual(state.memory.usage);
    expect(state.memory.total).toBeGreaterThan(0);
    expect(state.processes).toBeGreaterThan(0);
    expect(state.pid).toBeGreaterThan(1);
    const eth0 = state.network?.eth0;
    expect(eth0?.host_name).toMatch(/^veth/);
    expect(eth0?.counters.bytes_sent).toBeGreaterThanOrEqual(0);
  });

  it('reads the lxc log', async () => {
    expect(await incus.instances.lxcLog(main)).toMatch(new RegExp(`lxc ${main} `));
  });

  it('unknown instance → IncusNotFoundError', async () => {
    const ghost = testName('ghost');
    await expect(incus.instances.get(ghost)).rejects.toBeInstanceOf(IncusNotFoundError);
    await expect(incus.instances.state(ghost)).rejects.toBeInstanceOf(IncusNotFoundError);
    await expect(incus.instances.lxcLog(ghost)).rejects.toBeInstanceOf(IncusNotFoundError);
    expect(await incus.instances.exists(ghost)).toBe(false);
  });
});

describe('writing', () => {
  it('PATCH merges key-wise, "" deletes, a stale ETag → IncusPreconditionFailedError', async () => {
    const { etag } = await incus.instances.get(main);
    await incus.instances.patch(main, { config: { 'user.coi.a': '1', 'user.coi.b': '2' } }, etag);
    await expect(
      incus.instances.patch(main, { config: { 'user.coi.a': 'late' } }, etag),
    ).rejects.toBeInstanceOf(IncusPreconditionFailedError);
    await incus.instances.patch(main, { config: { 'user.coi.a': '' } });
    const { value } = await incus.instances.get(main);
    expect(value.config['user.coi.a']).toBeUndefined();
    expect(value.config['user.coi.b']).toBe('2');
    expect(value.config['user.coi.test']).toBe('instances a.b');
  });

  it('PUT replaces with If-Match; a stale ETag → IncusPreconditionFailedError', async () => {
    const { value, etag } = await incus.instances.get(main);
    const changed = {
      ...value,
      description: 'put by test',
      config: { ...value.config, 'user.coi.put': '1' },
    };
    await (await incus.instances.put(main, changed, etag)).wait();
    const after = (await incus.instances.get(main)).value;
    expect(after.description).toBe('put by test');
    expect(after.config['user.coi.put']).toBe('1');
    // The ETag covers architecture, config, devices, ephemeral and profiles (not the description).
    await expect(incus.instances.put(main, value, etag)).rejects.toBeInstanceOf(
      IncusPreconditionFailedError,
    );
  });

  it('a bad config key → IncusValidationError naming the key', async () => {
    const err = await incus.instances
      .patch(main, { config: { 'limits.bogus': '1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncusValidationError);
    expect((err as IncusValidationError).key).toBe('limits.bogus');
    expect((err as Error).message).toContain('limits.bogus');
  });

  it('a bad value → IncusValidationError naming the key, found by its value', async () => {
    const err = await incus.instances
      .patch(main, { config: { 'limits.memory': '1.5GB' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncusValidationError);
    expect((err as IncusValidationError).key).toBe('limits.memory');
  });

  it('an unknown image → IncusNotFoundError', async () => {
    const op = await incus.instances.create({
      name: testName('noimage'),
      image: { alias: testName('no-such-image') },
    });
    await expect(op.wait({ timeoutMs: 60_000 })).rejects.toBeInstanceOf(IncusNotFoundError);
  });

  it('a duplicate name → IncusConflictError (the daemon fails it inside the operation)', async () => {
    const op = await incus.instances.create({ name: main, image: { alias: BASE_IMAGE } });
    await expect(op.wait({ timeoutMs: 60_000 })).rejects.toBeInstanceOf(IncusConflictError);
  });
});

describe('lifecycle', () => {
  it('creates by fingerprint, starts, freezes, unfreezes, restarts, stops, renames, force-deletes', async () => {
    const alias = await incus.images.getAlias(BASE_IMAGE);
    const name = testName('inst-life');
    const renamed = testName('inst-life2');
    try {
      await (
        await incus.instances.create({
          name,
          image: { fingerprint: alias.target },
          config: { 'limits.memory': '256MiB' },
          profiles: ['default'],
        })
      ).wait({ timeoutMs: 60_000 });
      const status = async (n: string) => (await incus.instances.get(n)).value.status;
      expect(await status(name)).toBe('Stopped');
      await (await incus.instances.start(name)).wait();
      expect((await incus.instances.state(name)).memory.total).toBe(256 * 1024 * 1024);
      await (await incus.instances.freeze(name)).wait();
      expect(await status(name)).toBe('Frozen');
      await (await incus.instances.unfreeze(name)).wait();
      expect(await status(name)).toBe('Running');
      await (await incus.instances.restart(name, { force: true })).wait();
      expect(await status(name)).toBe('Running');
      const refused = await incus.instances.delete(name).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(IncusInstanceRunningError);
      expect((refused as Error).message).toMatch(/Instance is running/);
      await (await incus.instances.stop(name, { force: true })).wait();
      const again = await incus.instances.stop(name, { force: true });
      await expect(again.wait()).rejects.toThrow(/already stopped/);
      await (await incus.instances.rename(name, renamed)).wait();
      expect(await incus.instances.exists(name)).toBe(false);
      await (await incus.instances.start(renamed)).wait();
      await (await incus.instances.stop(renamed, { force: true })).wait();
      await (await incus.instances.delete(renamed)).wait();
      expect(await incus.instances.exists(renamed)).toBe(false);
    } finally {
      await deleteTestContainer(name);
      await deleteTestContainer(renamed);
    }
  });
});

describe('ephemeral', () => {
  it('creates and starts in one operation with devices; the instance vanishes when stopped', async () => {
    const name = testName('inst-eph');
    const hostDir = await mkdtemp(join(tmpdir(), 'coi-eph-'));
    try {
      await (
        await incus.instances.create({
          name,
          image: { alias: BASE_IMAGE },
          ephemeral: true,
          start: true,
          devices: { host: { type: 'disk', source: hostDir, path: '/mnt/host', readonly: 'true' } },
        })
      ).wait({ timeoutMs: 60_000 });
      const { value } = await incus.instances.get(name);
      expect(value).toMatchObject({ status: 'Running', ephemeral: true });
      expect(value.devices.host).toMatchObject({ source: hostDir, path: '/mnt/host' });
      await (await incus.instances.stop(name, { force: true })).wait();
      for (let i = 0; i < 50 && (await incus.instances.exists(name)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await incus.instances.exists(name)).toBe(false);
    } finally {
      await deleteTestContainer(name);
      await rm(hostDir, { recursive: true, force: true });
    }
  });
});

describe('operations', () => {
  it('keeps a failed operation metadata (exit code) past the daemon 5 s retention', async () => {
    const op = await incus.client.operation('POST', `/1.0/instances/${main}/exec`, {
      body: {
        command: ['/nonexistent-command'],
        'wait-for-websocket': false,
        'record-output': false,
        interactive: false,
      },
    });
    await new Promise((r) => setTimeout(r, 6000));
    const err = await op.wait({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncusOperationError);
    expect((err as IncusOperationError).operation?.metadata).toEqual({ return: 127 });
  });

  it('without a tracker, /wait plus an immediate read-back still gets the exit code', async () => {
    const plain = IncusClient.local();
    try {
      const op = await plain.operation('POST', `/1.0/instances/${main}/exec`, {
        body: {
          command: ['/nonexistent-command'],
          'wait-for-websocket': false,
          'record-output': false,
          interactive: false,
        },
      });
      const err = await op.wait({ timeoutMs: 10_000 }).catch((e: unknown) => e);
      expect((err as IncusOperationError).operation?.metadata).toEqual({ return: 127 });
    } finally {
      await plain.close();
    }
  });

  it('reports an operation that failed on a deadline of its own with its error, not as a timed-out wait', async () => {
    const stalled = await launchTestContainer('inst-stall');
    const resume = await stallInit(stalled);
    const plain = IncusClient.local();
    try {
      const shutdown = /Failed shutting down instance.*deadline exceeded/;
      const tracked = await incus.instances.stop(stalled, { timeout: 1 });
      const viaEvents = await tracked.wait({ timeoutMs: 30_000 }).catch((e: unknown) => e);
      expect((viaEvents as Error).message).toMatch(shutdown);
      // Over /wait, with no time limit of ours and with one.
      for (const timeoutMs of [undefined, 30_000]) {
        const op = await plain.operation('PUT', `/1.0/instances/${stalled}/state`, {
          body: { action: 'stop', timeout: 1 },
        });
        const err = await op.wait({ timeoutMs }).catch((e: unknown) => e);
        expect((err as Error).message).toMatch(shutdown);
        expect((err as Error).message).not.toMatch(/timed out after/);
      }
    } finally {
      resume();
      await plain.close();
      await deleteTestContainer(stalled);
    }
  });

  it('times out a wait without stopping the operation', async () => {
    const op = await incus.client.operation('POST', `/1.0/instances/${main}/exec`, {
      body: {
        command: ['sleep', '2'],
        'wait-for-websocket': false,
        'record-output': false,
        interactive: false,
      },
    });
    await expect(op.wait({ timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    expect((await op.wait({ timeoutMs: 10_000 })).metadata).toEqual({ return: 0 });
  });

  it('without a tracker, a wait that runs out of time says so (the daemon ends /wait on its deadline)', async () => {
    const plain = IncusClient.local();
    try {
      const op = await plain.operation('POST', `/1.0/instances/${main}/exec`, {
        body: {
          command: ['sleep', '3'],
          'wait-for-websocket': false,
          'record-output': false,
          interactive: false,
        },
      });
      await expect(op.wait({ timeoutMs: 1000 })).rejects.toThrow(/timed out after 1000 ms/);
      expect((await op.wait({ timeoutMs: 10_000 })).metadata).toEqual({ return: 0 });
    } finally {
      await plain.close();
    }
  });
});

describe('daemon unreachable', () => {
  it('→ IncusUnavailableError naming the socket path', async () => {
    const path = '/nonexistent/incus/unix.socket';
    const client = new IncusClient(new UnixTransport(path));
    const down = new Incus(client);
    try {
      const err = await down.instances.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IncusUnavailableError);
      expect((err as IncusError).message).toContain(path);
      await expect(down.connect()).rejects.toBeInstanceOf(IncusUnavailableError);
    } finally {
      await down.close();
    }
  });
});
