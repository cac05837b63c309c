/** JSON shapes of `/1.0/instances` and its sub-resources (shared/api/instance*.go in Incus 6.0). */

/** All config values are strings, also booleans and numbers (`"true"`, `"1"`). */
export type ConfigMap = Record<string, string>;
export type Device = Record<string, string>;
export type DeviceMap = Record<string, Device>;

export type InstanceStatus = 'Running' | 'Stopped' | 'Frozen' | 'Error' | (string & {});

/** The writable part of an instance (what PUT takes). */
export interface InstancePut {
  architecture: string;
  config: ConfigMap;
  devices: DeviceMap;
  ephemeral: boolean;
  profiles: string[];
  stateful: boolean;
  description: string;
}

export interface Instance extends InstancePut {
  name: string;
  type: 'container' | 'virtual-machine';
  status: InstanceStatus;
  status_code: number;
  created_at: string;
  last_used_at: string;
  location: string;
  project: string;
  /** Config and devices with the profiles applied. */
  expanded_config: ConfigMap;
  expanded_devices: DeviceMap;
}

/** `recursion=2`: with state, snapshots and backups (null, not [], when there are none). */
export interface InstanceFull extends Instance {
  state: InstanceState | null;
  snapshots: InstanceSnapshot[] | null;
  backups: unknown[] | null;
}

/** PATCH body: keys sent are merged (config `""` deletes a key; a device sent replaces it). */
export interface InstancePatch {
  config?: ConfigMap;
  devices?: DeviceMap;
  profiles?: string[];
  ephemeral?: boolean;
  description?: string;
}

export type ImageSource = { alias: string } | { fingerprint: string };

export interface InstanceCreateOptions {
  name: string;
  /** Local image by alias or fingerprint. */
  image: ImageSource;
  config?: ConfigMap;
  devices?: DeviceMap;
  /** Default `["default"]` (the daemon's default). */
  profiles?: string[];
  ephemeral?: boolean;
  /** Create and start in one operation. */
  start?: boolean;
  description?: string;
  type?: 'container' | 'virtual-machine';
}

export interface InstanceStateRequest {
  action: 'start' | 'stop' | 'restart' | 'freeze' | 'unfreeze';
  /** Seconds to wait for a clean shutdown (-1: for ever). */
  timeout?: number;
  force?: boolean;
  stateful?: boolean;
}

export interface NetworkAddress {
  family: 'inet' | 'inet6';
  address: string;
  netmask: string;
  scope: string;
}

export interface NetworkCounters {
  bytes_received: number;
  bytes_sent: number;
  packets_received: number;
  packets_sent: number;
  errors_received: number;
  errors_sent: number;
  packets_dropped_outbound: number;
  packets_dropped_inbound: number;
}

export interface InstanceNetworkState {
  addresses: NetworkAddress[];
  counters: NetworkCounters;
  hwaddr: string;
  /** The host-side veth; changes on every start unless the NIC pins `host_name`. */
  host_name: string;
  mtu: number;
  state: string;
  type: string;
}

export interface InstanceState {
  status: InstanceStatus;
  status_code: number;
  /** Empty on pools without quota accounting. */
  disk: Record<string, { usage: number; total?: number }> | null;
  memory: {
    usage: number;
    usage_peak: number;
    /** The hard limit (host memory when unlimited or soft-limited). */
    total: number;
    swap_usage: number;
    swap_usage_peak: number;
  };
  /** null when stopped. */
  network: Record<string, InstanceNetworkState> | null;
  /** Init's pid on the host; 0 when stopped. */
  pid: number;
  processes: number;
  cpu: {
    /** Nanoseconds of CPU used. */
    usage: number;
    /** Nanoseconds of CPU per second of wall time the limits allow. */
    allocated_time?: number;
  };
  started_at?: string;
  os_info?: unknown;
}

export interface InstanceSnapshot {
  name: string;
  created_at: string;
  /** `0001-01-01T00:00:00Z` when the snapshot never expires. */
  expires_at: string;
  last_used_at: string;
  stateful: boolean;
  /** -1 when the pool cannot tell. */
  size: number;
  architecture: string;
  config: ConfigMap;
  devices: DeviceMap;
  expanded_config: ConfigMap;
  expanded_devices: DeviceMap;
  profiles: string[];
  ephemeral: boolean;
}

export interface SnapshotCreateOptions {
  /** Auto-named `snapN` by the daemon when absent. */
  name?: string;
  /** Needs `migration.stateful=true` and CRIU on the host (missing on coi hosts). */
  stateful?: boolean;
  expiresAt?: Date;
}
