import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dnsmasqLeases,
  pickFree,
  withFreeAddress,
} from '../../../../src/security/network/addresses.js';
import { pinnedAddresses } from '../../../../src/shared/instance-network.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

describe('pinned address allocation', () => {
  it('takes the highest host address nobody holds, never the gateway or broadcast', () => {
    expect(pickFree('10.99.0.1/24', new Set())).toBe('10.99.0.254');
    expect(pickFree('10.99.0.1/24', new Set(['10.99.0.254', '10.99.0.253']))).toBe('10.99.0.252');
    expect(pickFree('10.99.0.254/24', new Set())).toBe('10.99.0.253');
  });

  it('works for subnets that do not end on an octet', () => {
    expect(pickFree('172.16.4.1/22', new Set())).toBe('172.16.7.254');
  });

  it('says what to do when the subnet is full', () => {
    expect(() => pickFree('10.0.0.1/30', new Set(['10.0.0.2']))).toThrow(
      /no free IPv4 address left in 10\.0\.0\.1\/30.*coi clean/,
    );
  });

  it('reads pinned addresses from NIC devices only', () => {
    expect(
      pinnedAddresses({
        expanded_devices: {
          eth0: { type: 'nic', network: 'incusbr0', 'ipv4.address': '10.99.0.7' },
          eth1: { type: 'nic', network: 'incusbr0' },
          root: { type: 'disk', path: '/', 'ipv4.address': '10.99.0.8' },
        },
      }),
    ).toEqual(['10.99.0.7']);
  });
});

const BRIDGE = { name: 'testbr0', config: { 'ipv4.address': '10.20.30.1/24' } };

let homes: string;
let incus: FakeIncus;

beforeEach(() => {
  homes = mkdtempSync(join(tmpdir(), 'coi-claim-'));
  incus = new FakeIncus([], [BRIDGE]);
});

afterEach(() => {
  rmSync(homes, { recursive: true, force: true });
});

/** Creates `name` stopped with `ip` pinned on its NIC, as a launch does. */
async function createPinned(name: string, ip: string): Promise<void> {
  const devices = { eth0: { type: 'nic', network: BRIDGE.name, 'ipv4.address': ip } };
  await (await incus.instances.create({ name, image: { alias: 'base' }, devices })).wait();
}

function pinnedOf(name: string): string[] {
  return pinnedAddresses(incus.instances.all.get(name)!);
}

/** Resolves once `count` callers have reached it. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === count) open();
    return opened;
  };
}

describe('addresses a lease outlived its instance on', () => {
  const leases = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'coi-incus-dir-'));
    mkdirSync(join(dir, 'networks', BRIDGE.name), { recursive: true });
    writeFileSync(join(dir, 'networks', BRIDGE.name, 'dnsmasq.leases'), text);
    return dir;
  };

  it("reads the daemon's dnsmasq leases file; none without one", async () => {
    const dir = leases(
      '1796190261 10:66:6a:ac:76:1a 10.20.30.254 coi-gone-1 ff:6a:ac:76:1a:00:01\n' +
        '1796190262 10:66:6a:ac:76:1b 10.20.30.9 * *\nduid 00:01:00:01\n',
    );
    expect(await dnsmasqLeases(BRIDGE.name, { INCUS_DIR: dir })).toEqual([
      '10.20.30.254',
      '10.20.30.9',
    ]);
    expect(await dnsmasqLeases('otherbr0', { INCUS_DIR: dir })).toEqual([]);
  });

  it('is not pinned: dnsmasq would not give it to the new container', async () => {
    const saved = process.env.INCUS_DIR;
    process.env.INCUS_DIR = leases('1796190261 10:66:6a:ac:76:1a 10.20.30.254 coi-gone-1 *\n');
    try {
      const ip = await withFreeAddress(
        incus,
        BRIDGE.name,
        join(homes, 'locks'),
        'c1',
        async (free) => {
          await createPinned('c1', free);
          return free;
        },
      );
      expect(ip).toBe('10.20.30.253');
    } finally {
      if (saved === undefined) delete process.env.INCUS_DIR;
      else process.env.INCUS_DIR = saved;
    }
  });
});

describe('claiming a pinned address across homes', () => {
  it('two launches from two homes that picked the same address end on different ones', async () => {
    const bothPicked = barrier(2);
    const picks: string[] = [];
    const launch = (home: string, name: string) =>
      withFreeAddress(incus, BRIDGE.name, join(homes, home, 'locks'), name, async (ip) => {
        picks.push(ip);
        if (picks.length <= 2) await bothPicked();
        await createPinned(name, ip);
        return ip;
      });
    const [a, b] = await Promise.all([launch('alice', 'coi-a-1'), launch('bob', 'coi-b-1')]);
    expect(picks.slice(0, 2)).toEqual(['10.20.30.254', '10.20.30.254']);
    expect(a).not.toBe(b);
    expect(pinnedOf('coi-a-1')).toEqual([a]);
    expect(pinnedOf('coi-b-1')).toEqual([b]);
  });

  it('the instance created later gives the address up, whatever the names, and takes another', async () => {
    const home = join(homes, 'alice', 'locks');
    const ip = await withFreeAddress(incus, BRIDGE.name, home, 'coi-a-1', async (free) => {
      await createPinned('coi-a-1', free);
      if (free === '10.20.30.254') {
        // Incus trims trailing zeros of the nanoseconds: .45402794 is before .454027944.
        incus.instances.all.get('coi-a-1')!.created_at = '2026-12-01T16:14:30.454027944Z';
        await createPinned('coi-z-1', free);
        incus.instances.all.get('coi-z-1')!.created_at = '2026-12-01T16:14:30.45402794Z';
      }
      return free;
    });
    expect(ip).toBe('10.20.30.253');
    expect(pinnedOf('coi-a-1')).toEqual(['10.20.30.253']);
    expect(pinnedOf('coi-z-1')).toEqual(['10.20.30.254']);
  });

  it('of two created at the same time, the first name keeps the address', async () => {
    const home = join(homes, 'bob', 'locks');
    const at = '2026-12-01T16:14:30Z';
    const ip = await withFreeAddress(incus, BRIDGE.name, home, 'coi-b-1', async (free) => {
      await createPinned('coi-b-1', free);
      incus.instances.all.get('coi-b-1')!.created_at = at;
      if (free === '10.20.30.254') {
        await createPinned('coi-a-1', free);
        incus.instances.all.get('coi-a-1')!.created_at = at;
      }
      return free;
    });
    expect(ip).toBe('10.20.30.253');
  });

  it('a claim whose check fails deletes its instance', async () => {
    const home = join(homes, 'alice', 'locks');
    let lists = 0;
    const listFull = incus.instances.listFull.bind(incus.instances);
    incus.instances.listFull = async (filter) => {
      lists += 1;
      if (lists === 2) throw new Error('the daemon went away');
      return listFull(filter);
    };
    await expect(
      withFreeAddress(incus, BRIDGE.name, home, 'coi-a-1', (free) => createPinned('coi-a-1', free)),
    ).rejects.toThrow(/went away/);
    expect(incus.instances.all.has('coi-a-1')).toBe(false);
  });
});
