import { describe, expect, it } from 'vitest';
import {
  addHost,
  hostFromArguments,
  listHosts,
  removeHost,
} from '../../../../src/core/hosts/runtime-hosts.js';
import { COI_KEYS } from '../../../../src/shared/instance-keys.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';

// Open mode: the firewall has nothing to open, so these cover the record and /etc/hosts (the
// firewall side runs against real nft in the integration test).
function openContainer(status: 'Running' | 'Stopped' = 'Running') {
  const incus = new FakeIncus([
    {
      name: 'coi-abc12345-1',
      status,
      config: { [COI_KEYS.networkMode]: 'open', [COI_KEYS.workspace]: '/w' },
    },
  ]);
  const scripts: string[] = [];
  incus.exec.answer((_name, command) => {
    scripts.push(command.at(-1)!);
    return runResult(0);
  });
  return { incus, scripts };
}

describe('coi hosts on a running container', () => {
  it('adds, moves a name to a newer entry, lists and removes, rewriting /etc/hosts each time', async () => {
    const { incus, scripts } = openContainer();
    const c = 'coi-abc12345-1';
    await addHost(incus, c, hostFromArguments('192.168.1.50', ['nas.lan', 'nas'], '445'));
    await addHost(incus, c, hostFromArguments('192.168.1.51', ['nas']));
    expect(await listHosts(incus, c)).toEqual([
      { ip: '192.168.1.50', hostnames: ['nas.lan'], ports: [445] },
      { ip: '192.168.1.51', hostnames: ['nas'], ports: [] },
    ]);
    expect(scripts.at(-1)).toContain(
      "'192.168.1.50 nas.lan # coi-hosts' '192.168.1.51 nas # coi-hosts' >> /etc/hosts",
    );
    await removeHost(incus, c, 'nas.lan');
    expect(await listHosts(incus, c)).toEqual([
      { ip: '192.168.1.51', hostnames: ['nas'], ports: [] },
    ]);
    expect(scripts.at(-1)).not.toContain('192.168.1.50');
  });

  it('refuses unknown names, stopped or missing containers and bad arguments as usage errors', async () => {
    const { incus } = openContainer();
    await expect(removeHost(incus, 'coi-abc12345-1', 'nas.lan')).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('no named host "nas.lan"; `coi hosts list coi-abc12345-1`'),
    });
    await expect(listHosts(incus, 'coi-nope-1')).rejects.toMatchObject({ kind: 'usage' });
    const stopped = openContainer('Stopped').incus;
    await expect(
      addHost(stopped, 'coi-abc12345-1', hostFromArguments('10.0.0.7', ['db'])),
    ).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('is stopped') });
    expect(() => hostFromArguments('10.0.0', ['db'])).toThrow(/"10.0.0" is not an IPv4 address/);
    expect(() => hostFromArguments('10.0.0.7', ['bad_name'])).toThrow(/"bad_name" is not a host/);
    expect(() => hostFromArguments('10.0.0.7', ['db'], '0')).toThrow(/--ports 0: "0": ports are/);
  });
});
