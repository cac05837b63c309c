import { describe, expect, it } from 'vitest';
import type { WatchedContainer } from '../../../../src/security/monitor/container-watch.js';
import { WatchRegistry, type Watch } from '../../../../src/security/monitor/watch-registry.js';

class FakeWatch implements Watch {
  stopped = 0;
  readonly container: WatchedContainer;
  constructor(name: string, ipv4 = '') {
    this.container = { name, workspace: `/w/${name}`, initPid: 1000, home: '/home/code', ipv4 };
  }
  stop(): void {
    this.stopped += 1;
  }
}

function registry(leases: Record<string, string> = {}) {
  const errors: string[] = [];
  const lookups: string[] = [];
  const watches = new WatchRegistry<FakeWatch>({
    lookupIpv4: async (name) => {
      lookups.push(name);
      return leases[name] ?? '';
    },
    onAttachError: (name, err) => errors.push(`${name}: ${err.message}`),
  });
  return { watches, errors, lookups };
}

/** A promise and its resolve, to hold an attach open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('WatchRegistry', () => {
  it('keeps watches by name, listed sorted, and stops one when it is removed', () => {
    const { watches } = registry();
    const b = new FakeWatch('coi-b-1');
    const a = new FakeWatch('coi-a-1');
    watches.add(b, false);
    watches.add(a, true);
    expect(watches.names()).toEqual(['coi-a-1', 'coi-b-1']);
    expect(watches.get('coi-a-1')).toBe(a);
    expect(watches.openMode('coi-a-1')).toBe(true);
    expect(watches.openMode('coi-b-1')).toBe(false);
    expect(watches.remove('coi-a-1')).toBe(true);
    expect(a.stopped).toBe(1);
    expect(watches.has('coi-a-1')).toBe(false);
    expect(watches.openMode('coi-a-1')).toBe(false);
    expect(watches.remove('coi-a-1')).toBe(false);
    expect(a.stopped).toBe(1);
    expect(b.stopped).toBe(0);
  });

  it('stops every watch on stopAll', () => {
    const { watches } = registry();
    const all = [new FakeWatch('coi-a-1'), new FakeWatch('coi-b-1')];
    for (const w of all) watches.add(w, false);
    watches.stopAll();
    expect(all.map((w) => w.stopped)).toEqual([1, 1]);
    expect(watches.names()).toEqual([]);
  });

  it('finds the watched container holding an address', () => {
    const { watches } = registry();
    watches.add(new FakeWatch('coi-a-1', '10.99.0.5'), false);
    watches.add(new FakeWatch('coi-b-1', ''), false);
    expect(watches.containerOf('10.99.0.5')?.name).toBe('coi-a-1');
    expect(watches.containerOf('10.99.0.6')).toBeUndefined();
  });

  it('joins an attach under way instead of starting a second one', async () => {
    const { watches } = registry();
    const held = gate();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await held.promise;
      watches.add(new FakeWatch('coi-a-1'), false);
    };
    const first = watches.attach('coi-a-1', work);
    const second = watches.attach('coi-a-1', work);
    expect(second).toBe(first);
    held.open();
    await first;
    expect(runs).toBe(1);
    await watches.attach('coi-a-1', async () => void (runs += 1));
    expect(runs).toBe(2);
  });

  it('reports a failed attach and lets the next one run', async () => {
    const { watches, errors } = registry();
    await watches.attach('coi-a-1', async () => {
      throw new Error('instance not found');
    });
    expect(errors).toEqual(['coi-a-1: instance not found']);
    let ran = false;
    await watches.attach('coi-a-1', async () => void (ran = true));
    expect(ran).toBe(true);
  });

  it('watchOf waits for an attach under way, and gives up on one that never comes', async () => {
    const { watches } = registry();
    const held = gate();
    void watches.attach('coi-a-1', async () => {
      await held.promise;
      watches.add(new FakeWatch('coi-a-1'), false);
    });
    const waiting = watches.watchOf('coi-a-1', 1000);
    held.open();
    expect((await waiting).container.name).toBe('coi-a-1');
    await expect(watches.watchOf('coi-b-1', 0)).rejects.toThrow(
      'the monitor never attached to coi-b-1',
    );
  });

  it('looks up addresses only for watches that have none', async () => {
    const { watches, lookups } = registry({ 'coi-b-1': '10.99.0.6' });
    watches.add(new FakeWatch('coi-a-1', '10.99.0.5'), false);
    watches.add(new FakeWatch('coi-b-1', ''), false);
    watches.add(new FakeWatch('coi-c-1', ''), false);
    await watches.refreshAddresses();
    expect(lookups).toEqual(['coi-b-1', 'coi-c-1']);
    expect(watches.containerOf('10.99.0.6')?.name).toBe('coi-b-1');
    expect(watches.get('coi-c-1')?.container.ipv4).toBe('');
  });
});
