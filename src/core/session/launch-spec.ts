import type { Config } from '../config/index.js';
import { parseAllowlist } from '../../security/nft/policy.js';
import type { ConfigMap, DeviceMap, InstanceCreateOptions } from '../../incus/instance-types.js';
import { coiKeysConfig, type RecordedAnyNameProxy } from '../../shared/instance-keys.js';
import { recordedMonitoring } from '../policy/monitor-settings.js';
import type { PublishedPort } from '../../shared/published-ports.js';
import { portDevices } from './launch/ports.js';
import { hostEntry } from '../policy/network-policy.js';
import { bytesOf } from '../../shared/size.js';
import { kernelSurfaceKeys } from '../policy/kernel-surface.js';
import { overlayDevices, type WorkspaceMounts } from './overlay-devices.js';
import type { WorkspaceMapping } from './workspace-mapping.js';

/** Everything that decides how a session's container is created; pure input, no I/O. */
export interface LaunchSpecInput extends WorkspaceMounts {
  name: string;
  image: string;
  workspace: string;
  slot: number;
  sessionId: string;
  tool: string;
  /** The profile the session was launched with, remembered for --resume. */
  profile?: string;
  persistent: boolean;
  config: Config;
  /** Storage pool of the root disk (from the config or the default profile). */
  pool: string;
  /** The bridge of the default profile's NIC. */
  bridge: string;
  /** The address pinned on eth0: coi's nft rules are keyed by it, so it is known before start. */
  ipv4Address: string;
  /** How the workspace owner becomes the code user inside (see decideWorkspaceMapping). */
  mapping: WorkspaceMapping;
  /** What the workspace device binds: the workspace, or coi's idmapped mount of it. */
  workspaceSource: string;
  /** HTTP(S) through the egress proxy for every name (`NetworkPolicy.anyNameProxy`). */
  anyNameProxy?: boolean;
  /** `[ports]` as allocated for this slot: proxy devices listening on the host. */
  ports?: readonly PublishedPort[];
}

/**
 * The container's config and devices, ready for `POST /1.0/instances`. Host sockets are not among
 * them: they are plugged in once it has booted (see attachHostSockets).
 */
export function buildLaunchSpec(input: LaunchSpecInput): InstanceCreateOptions {
  const { config } = input;
  const { mapping } = input;
  const instanceConfig: ConfigMap = {
    ...coiKeysConfig({
      workspace: input.workspace,
      slot: input.slot,
      tool: input.tool,
      persistent: input.persistent,
      sessionId: input.sessionId,
      codeUser: config.incus.code_user,
      profile: input.profile ?? '',
      networkMode: config.network.mode,
      monitored: config.monitoring.enabled,
      monitoring: recordedMonitoring(config),
      noSni: config.network.proxy.no_sni,
      launchedBy: 'session',
      ...(config.container.alias ? { alias: config.container.alias } : {}),
      ...(config.network.mode === 'allowlist'
        ? { allowlist: parseAllowlist(config.network.allowed_domains).domains }
        : {}),
      ...(config.network.hosts.length > 0 ? { hosts: config.network.hosts.map(hostEntry) } : {}),
      ...(input.anyNameProxy ? { anyNameProxy: anyNameBlocks(config) } : {}),
    }),
    ...kernelSurfaceKeys(config),
    'security.guestapi': 'false',
    // An id range of its own (allocate falls back where the host has none left).
    'security.idmap.isolated': 'true',
    ...limitKeys(config),
    ...tmpfsTmp(config),
  };
  if (mapping.kind === 'raw-idmap') instanceConfig['raw.idmap'] = mapping.rawIdmap;

  // Other mounts shift whenever the kernel can, whatever the workspace needs.
  const shift = mapping.kind !== 'raw-idmap';
  const workspaceShift = mapping.kind === 'shift';
  const disk = (source: string, path: string, readonly: boolean, shiftIt: boolean) => ({
    type: 'disk',
    source,
    path,
    ...(readonly ? { readonly: 'true' } : {}),
    ...(shiftIt ? { shift: 'true' } : {}),
  });
  const devices: DeviceMap = {
    root: { type: 'disk', path: '/', pool: input.pool, ...rootDiskLimits(config) },
    eth0: {
      type: 'nic',
      network: input.bridge,
      name: 'eth0',
      'ipv4.address': input.ipv4Address,
      'security.ipv4_filtering': 'true',
      'security.mac_filtering': 'true',
      'security.port_isolation': 'true',
    },
    workspace: disk(input.workspaceSource, '/workspace', false, workspaceShift),
  };
  Object.assign(devices, overlayDevices(input.workspace, mapping, input));
  config.mounts.default.forEach((mount, i) => {
    devices[`mount-${i}`] = disk(mount.host, mount.container, mount.readonly, mount.shift ?? shift);
  });
  Object.assign(devices, portDevices(input.ports ?? []));
  return {
    name: input.name,
    image: { alias: input.image },
    config: instanceConfig,
    devices,
    ephemeral: false,
  };
}

function limitKeys(config: Config): ConfigMap {
  const { cpu, memory, runtime } = config.limits;
  const keys: ConfigMap = {};
  if (cpu.count) keys['limits.cpu'] = cpu.count;
  if (cpu.allowance) keys['limits.cpu.allowance'] = cpu.allowance;
  if (cpu.priority) keys['limits.cpu.priority'] = String(cpu.priority);
  if (memory.limit) {
    keys['limits.memory'] = memory.limit;
    keys['limits.memory.enforce'] = memory.enforce;
  }
  // true is Incus' default; false, "false" or a size is said.
  if (String(memory.swap) !== 'true') keys['limits.memory.swap'] = String(memory.swap);
  if (runtime.max_processes) keys['limits.processes'] = String(runtime.max_processes);
  if (config.limits.disk.priority)
    keys['limits.disk.priority'] = String(config.limits.disk.priority);
  return keys;
}

/** `[limits.disk] tmpfs_size`: a tmpfs on /tmp, mounted by LXC before the container's init runs. */
function tmpfsTmp(config: Config): ConfigMap {
  const size = config.limits.disk.tmpfs_size;
  if (!size) return {};
  const options = `rw,nosuid,nodev,mode=1777,size=${bytesOf(size)}`;
  return { 'raw.lxc': `lxc.mount.entry = tmpfs tmp tmpfs ${options} 0 0` };
}

function rootDiskLimits(config: Config): Record<string, string> {
  const { read, write, max, size } = config.limits.disk;
  return {
    ...(size ? { size } : {}),
    ...(read ? { 'limits.read': read } : {}),
    ...(write ? { 'limits.write': write } : {}),
    ...(max ? { 'limits.max': max } : {}),
  };
}

/** What the egress proxy must not connect to for this container: restricted mode's blocks. */
function anyNameBlocks(config: Config): RecordedAnyNameProxy {
  const { network } = config;
  const restricted = network.mode === 'restricted';
  return {
    metadata: restricted && network.block_metadata_endpoint,
    private: restricted && network.block_private_networks && !network.allow_local_network_access,
  };
}
