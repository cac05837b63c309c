import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncusClient } from '../../../src/incus/client.js';
import { eventInstance, isLifecycle } from '../../../src/incus/events.js';
import type { IncusEvent } from '../../../src/incus/event-types.js';
import { Incus } from '../../../src/incus/index.js';
import { resolveSocketPath } from '../../../src/incus/socket.js';
import {
  UnixTransport,
  type Transport,
  type TransportRequest,
} from '../../../src/incus/transport.js';
import { BASE_IMAGE, deleteTestContainer, testName } from '../../helpers/testbed.js';

/** The real unix transport, remembering its websockets so a test can cut one underneath. */
class RecordingTransport implements Transport {
  readonly sockets: WebSocket[] = [];
  private readonly inner = new UnixTransport(resolveSocketPath());

  get endpoint(): string {
    return this.inner.endpoint;
  }

  request(req: TransportRequest) {
    return this.inner.request(req);
  }

  websocket(path: string, protocols?: string[]): WebSocket {
    const ws = this.inner.websocket(path, protocols);
    this.sockets.push(ws);
    return ws;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function cutUnderneath(ws: WebSocket | undefined): void {
  (ws as unknown as { _socket: Socket })._socket.destroy();
}

const transport = new RecordingTransport();
const incus = new Incus(new IncusClient(transport), {
  events: { backoff: { initialMs: 50, maxMs: 500 } },
});
const name = testName('events');
const renamed = testName('events2');

beforeAll(async () => {
  await incus.connect();
});

afterAll(async () => {
  await deleteTestContainer(name);
  await deleteTestContainer(renamed);
  await incus.close();
});

describe('events stream', () => {
  it('delivers lifecycle events for create/start/freeze/unfreeze/update/stop/rename/delete, with a gap after a reconnect', async () => {
    const seen: IncusEvent[] = [];
    const ours = (e: IncusEvent) =>
      e.type === 'gap' ||
      (e.type === 'lifecycle' &&
        !/^instance-(exec|log)/.test(e.metadata.action) &&
        [name, renamed].includes(eventInstance(e) ?? ''));
    const consumer = (async () => {
      for await (const event of incus.events.iterate(ours)) {
        seen.push(event);
        if (isLifecycle(event, 'instance-deleted')) break;
      }
    })();

    await (await incus.instances.create({ name, image: { alias: BASE_IMAGE } })).wait();
    await (await incus.instances.start(name)).wait();

    // Cut the websocket underneath while an operation runs: it still resolves, and a gap is emitted.
    const sleeper = await incus.client.operation('POST', `/1.0/instances/${name}/exec`, {
      body: {
        command: ['sleep', '1'],
        'wait-for-websocket': false,
        'record-output': false,
        interactive: false,
      },
    });
    const gap = incus.events.waitFor((e) => e.type === 'gap', 10_000);
    cutUnderneath(transport.sockets.at(-1));
    expect((await sleeper.wait({ timeoutMs: 10_000 })).metadata).toEqual({ return: 0 });
    const gapEvent = await gap;
    expect(
      gapEvent.type === 'gap' && Date.parse(gapEvent.until) >= Date.parse(gapEvent.since),
    ).toBe(true);
    expect(incus.events.state).toBe('open');
    expect(incus.events.epoch).toBe(2);
    expect(transport.sockets).toHaveLength(2);

    await (await incus.instances.freeze(name)).wait();
    await (await incus.instances.unfreeze(name)).wait();
    await incus.instances.patch(name, { config: { 'user.coi.events': '1' } });
    await (await incus.instances.stop(name, { force: true })).wait();
    await (await incus.instances.rename(name, renamed)).wait();
    await (await incus.instances.delete(renamed)).wait();
    await consumer;

    const actions = seen.map((e) => (e.type === 'lifecycle' ? e.metadata.action : e.type));
    expect(actions).toEqual([
      'instance-created',
      'instance-started',
      'gap',
      'instance-paused',
      'instance-resumed',
      'instance-updated',
      'instance-stopped',
      'instance-renamed',
      'instance-deleted',
    ]);
    const rename = seen.find((e) => isLifecycle(e, 'instance-renamed'));
    expect(
      rename && isLifecycle(rename, 'instance-renamed') && rename.metadata.context?.old_name,
    ).toBe(name);
  });

  it('re-dials a connection that stops sending pings (watchdog), emitting a gap', async () => {
    // The daemon pings every 10 s, so a 300 ms heartbeat timeout trips at once.
    const watched = new Incus(IncusClient.local(), {
      events: { heartbeatTimeoutMs: 300, backoff: { initialMs: 20 } },
    });
    try {
      await watched.connect();
      const gap = await watched.events.waitFor((e) => e.type === 'gap', 5000);
      expect(gap.type === 'gap' && gap.reason).toBe('no ping from the daemon');
      expect(watched.events.epoch).toBeGreaterThanOrEqual(2);
    } finally {
      await watched.close();
    }
  });

  it('closes cleanly: iterators end, and no socket or timer is left behind', async () => {
    const resources = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => r !== 'TTYWrap')
        .sort();
    const before = resources();
    const stream = new Incus(IncusClient.local(), { events: { backoff: { initialMs: 10 } } });
    await stream.connect();
    await stream.instances.names();
    const iterator = stream.events.iterate();
    const next = iterator.next();
    await stream.close();
    expect(await next).toEqual({ value: undefined, done: true });
    expect(stream.events.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.events.state).toBe('closed');
    // Nothing new is left (earlier tests' sockets may still be winding down, so not equality).
    const after = resources();
    for (const kind of new Set(after)) {
      expect(after.filter((r) => r === kind).length).toBeLessThanOrEqual(
        before.filter((r) => r === kind).length,
      );
    }
  });
});
