import { describe, expect, test } from 'vitest';
import { coalesceSubscribe, type FrameClock } from '../../../../src/ui/state/coalesce.js';
import { createTuiStore } from '../../../../src/ui/state/store.js';
import { alert, instance } from '../helpers.js';

/** Manual clock: timers run only when the test advances time. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: FrameClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.at <= now)) {
      timers = timers.filter((x) => x !== t);
      t.fn();
    }
  };
  return { clock, advance };
}

describe('createTuiStore', () => {
  test('upsertInstance registers the workspace; workspaces sort naturally', () => {
    const store = createTuiStore();
    for (const ws of ['ws-10', 'ws-2', 'ws-1']) store.getState().upsertInstance(instance(ws, 1));
    store.getState().setWorkspaces(['empty']);
    expect(store.getState().workspaces).toEqual(['empty', 'ws-1', 'ws-2', 'ws-10']);
  });

  test('removeInstance drops the instance and its metrics, keeps its alerts', () => {
    const store = createTuiStore();
    const s = store.getState();
    const inst = instance('ws-1', 1);
    s.upsertInstance(inst);
    s.setMetrics({
      [inst.name]: { cpuPercent: 1, memoryUsedBytes: 1, netRxBytesPerSec: 0, netTxBytesPerSec: 0 },
    });
    s.addAlerts([alert(1, { container: inst.name })]);
    s.removeInstance(inst.name);
    expect(store.getState().instances).toEqual({});
    expect(store.getState().metrics).toEqual({});
    expect(store.getState().alerts).toHaveLength(1);
  });

  test('setMetrics replaces the whole batch in one notification', () => {
    const store = createTuiStore();
    let notifications = 0;
    store.subscribe(() => notifications++);
    const m = { cpuPercent: 1, memoryUsedBytes: 1, netRxBytesPerSec: 0, netTxBytesPerSec: 0 };
    store.getState().setMetrics({ a: m, b: m });
    store.getState().setMetrics({ c: m });
    expect(Object.keys(store.getState().metrics)).toEqual(['c']);
    expect(notifications).toBe(2);
  });

  test('ackAlert marks one alert', () => {
    const store = createTuiStore();
    store.getState().addAlerts([alert(1), alert(2)]);
    store.getState().ackAlert('alert-2');
    expect(store.getState().alerts.map((a) => a.acknowledged)).toEqual([false, true]);
  });
});

describe('coalesceSubscribe', () => {
  test('a burst of changes becomes one notification per frame, the last one never lost', () => {
    const store = createTuiStore();
    const { clock, advance } = manualClock();
    const seen: number[] = [];
    const subscribe = coalesceSubscribe(store.subscribe, 50, clock);
    const unsubscribe = subscribe(() => seen.push(store.getState().alerts.length));

    for (let n = 1; n <= 100; n++) store.getState().addAlerts([alert(n)]);
    advance(0);
    expect(seen).toEqual([100]);

    // Changes spread over 200 ms: at most one render per 50 ms frame.
    for (let n = 101; n <= 140; n++) {
      store.getState().addAlerts([alert(n)]);
      advance(5);
    }
    advance(50);
    expect(seen.length).toBeLessThanOrEqual(1 + 5);
    expect(seen.at(-1)).toBe(140);

    unsubscribe();
    store.getState().addAlerts([alert(999)]);
    advance(100);
    expect(seen.at(-1)).toBe(140);
  });
});

describe('a poll that changes nothing', () => {
  const metrics = {
    cpuPercent: 3,
    memoryUsedBytes: 1024,
    netRxBytesPerSec: 0,
    netTxBytesPerSec: 0,
  };

  function polled() {
    const store = createTuiStore();
    const s = store.getState();
    s.upsertInstance(instance('ws-1', 1, { ports: ['8080->80/tcp'], startedAt: 1000 }));
    s.setWorkspaces(['ws-1']);
    s.setMetrics({ [instance('ws-1', 1).name]: { ...metrics } });
    s.setConnection({ state: 'connected' });
    return store;
  }

  test('leaves the state object as it was: no listener hears of it, nothing re-renders', () => {
    const store = polled();
    const before = store.getState();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    // The next poll: the same figures, in fresh objects, as the feed builds them.
    const s = store.getState();
    s.upsertInstance(instance('ws-1', 1, { ports: ['8080->80/tcp'], startedAt: 1000 }));
    s.setWorkspaces(['ws-1']);
    s.setMetrics({ [instance('ws-1', 1).name]: { ...metrics } });
    s.setConnection({ state: 'connected' });
    expect(store.getState()).toBe(before);
    expect(notified).toBe(0);
  });

  test('a change in any of them is still an update', () => {
    const name = instance('ws-1', 1).name;
    const changes: ((s: ReturnType<ReturnType<typeof polled>['getState']>) => void)[] = [
      (s) => s.upsertInstance(instance('ws-1', 1, { ports: ['8081->80/tcp'], startedAt: 1000 })),
      (s) => s.upsertInstance(instance('ws-1', 1, { ports: ['8080->80/tcp'], state: 'frozen' })),
      (s) => s.setWorkspaces(['ws-1', 'ws-2']),
      (s) => s.setMetrics({ [name]: { ...metrics, cpuPercent: 4 } }),
      (s) => s.setMetrics({}),
      (s) => s.setConnection({ state: 'retrying', attempt: 1, error: 'Incus unreachable' }),
    ];
    for (const change of changes) {
      const store = polled();
      const before = store.getState();
      change(store.getState());
      expect(store.getState()).not.toBe(before);
    }
  });
});
