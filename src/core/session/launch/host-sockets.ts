import type { Config } from '../../config/index.js';
import type { IncusApi } from '../../../incus/interfaces.js';
import type { DeviceMap } from '../../../incus/instance-types.js';

export const SSH_AGENT_GUEST_SOCKET = '/run/ssh-agent.sock';

/** What decides the host sockets a session forwards. */
export interface HostSocketsInput {
  config: Pick<Config, 'sockets'>;
  /** The host's ssh-agent socket when `[ssh] forward_agent` is on and one runs. */
  sshAgentSocket?: string;
  /** Owner of the workspace on the host: forwarded sockets are dialled as this uid. */
  hostUid: number;
  /** The code user's uid inside: owner of the forwarded sockets. */
  codeUid: number;
}

/** `[[sockets]]` and the ssh agent as proxy devices, one unix socket inside each. */
export function hostSocketDevices(input: HostSocketsInput): DeviceMap {
  const devices: DeviceMap = {};
  input.config.sockets.forEach((socket, i) => {
    devices[`socket-${i}`] = proxyToHostSocket(socket.host, socket.container, input);
  });
  if (input.sshAgentSocket) {
    devices['ssh-agent'] = proxyToHostSocket(input.sshAgentSocket, SSH_AGENT_GUEST_SOCKET, input);
  }
  return devices;
}

export function isHostSocketDevice(name: string): boolean {
  return name === 'ssh-agent' || /^socket-\d+$/.test(name);
}

/**
 * Plugs the sockets into the booted container. Not at create or start: the proxy would make its
 * socket before systemd mounts a fresh tmpfs over /run (and /tmp), which then hides it for good.
 */
export async function attachHostSockets(
  incus: Pick<IncusApi, 'instances'>,
  container: string,
  devices: DeviceMap,
): Promise<void> {
  if (Object.keys(devices).length === 0) return;
  await incus.instances.patch(container, { devices });
}

/** A unix socket inside the container forwarded to a host socket, dialled as the host user. */
function proxyToHostSocket(host: string, guest: string, owners: HostSocketsInput) {
  return {
    type: 'proxy',
    bind: 'instance',
    connect: `unix:${host}`,
    listen: `unix:${guest}`,
    uid: String(owners.codeUid),
    gid: String(owners.codeUid),
    mode: '0600',
    'security.uid': String(owners.hostUid),
    'security.gid': String(owners.hostUid),
  };
}
