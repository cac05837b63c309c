import { describe, expect, it } from 'vitest';
import {
  attachHostSockets,
  hostSocketDevices,
  isHostSocketDevice,
} from '../../../../../src/core/session/launch/host-sockets.js';
import { FakeIncus } from '../../../../helpers/fake-incus.js';

const sockets = [{ host: '/run/docker.sock', container: '/run/docker.sock', env: 'DOCKER' }];

describe('host sockets', () => {
  it('forwards the ssh agent and sockets as proxies owned by the code user', () => {
    const devices = hostSocketDevices({
      config: { sockets },
      sshAgentSocket: '/run/user/1500/agent.sock',
      hostUid: 1500,
      codeUid: 2000,
    });
    expect(devices['ssh-agent']).toEqual({
      type: 'proxy',
      bind: 'instance',
      connect: 'unix:/run/user/1500/agent.sock',
      listen: 'unix:/run/ssh-agent.sock',
      uid: '2000',
      gid: '2000',
      mode: '0600',
      'security.uid': '1500',
      'security.gid': '1500',
    });
    expect(devices['socket-0']).toMatchObject({
      connect: 'unix:/run/docker.sock',
      listen: 'unix:/run/docker.sock',
    });
    expect(Object.keys(devices).every(isHostSocketDevice)).toBe(true);
  });

  it('forwards nothing when neither is asked for', () => {
    expect(hostSocketDevices({ config: { sockets: [] }, hostUid: 1, codeUid: 1 })).toEqual({});
  });

  it.each([
    ['socket-0', true],
    ['socket-12', true],
    ['ssh-agent', true],
    ['socket-x', false],
    ['coi-port-web', false],
    ['eth0', false],
    ['workspace', false],
  ])('%s is a host socket device: %s', (name, expected) => {
    expect(isHostSocketDevice(name)).toBe(expected);
  });

  it('plugs the devices into the container, and makes no call when there are none', async () => {
    const incus = new FakeIncus([{ name: 'c1', devices: { eth0: { type: 'nic' } } }]);
    await attachHostSockets(incus, 'c1', {});
    expect(incus.calls.filter((c) => c.startsWith('instances.patch'))).toEqual([]);
    const devices = hostSocketDevices({ config: { sockets }, hostUid: 1, codeUid: 1 });
    await attachHostSockets(incus, 'c1', devices);
    expect(Object.keys(incus.instances.all.get('c1')!.devices).sort()).toEqual([
      'eth0',
      'socket-0',
    ]);
  });
});
