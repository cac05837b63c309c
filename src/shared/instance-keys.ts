import type { PortSpec } from './ports.js';

/**
 * The one reader and writer of coi's `user.coi.*` instance keys: what a launch records on the
 * container and every later reader (commands, control room, monitor daemon) reads back.
 */

export type RecordedNetworkMode = 'restricted' | 'allowlist' | 'open';

/** An allowlisted name as the launch recorded it for the allowlist resolver. */
export interface RecordedAllowlistDomain {
  name: string;
  ports: PortSpec[];
}

/**
 * A named host the container may reach (`[[network.hosts]]` at launch, `coi hosts add` since):
 * what its `/etc/hosts` lists and its firewall lets through (ports empty: every port).
 */
export interface RecordedHost {
  ip: string;
  hostnames: string[];
  ports: PortSpec[];
}

/** `[network.proxy] no_sni` as a launch recorded it for the egress proxy. */
export type RecordedNoSni = 'refuse' | 'allow';

/** Who froze a container: the threat responder, or nobody recorded. */
export type FrozenBy = 'threat' | '';

/**
 * What launched a container: a coi session (`coi shell`, `coi run`, the control room), or nothing
 * recorded (`coi container launch`, an older coi). Only a session's container is ended by its
 * supervision when it powers itself off.
 */
export type LaunchedBy = 'session' | '';

/**
 * The `[monitoring]` thresholds of the launch's effective config (user, trusted workspace and
 * profile layers), which the monitor daemon applies to this container instead of its own.
 */
export interface RecordedMonitoring {
  process_count_threshold?: number;
  process_spawn_rate_threshold?: number;
  file_read_threshold_mb?: number;
  file_read_rate_mb_per_sec?: number;
  file_write_threshold_mb?: number;
  file_write_rate_mb_per_sec?: number;
  reverse_shell_one_liners?: 'critical' | 'warn' | 'off';
  auto_pause_on_high?: boolean;
  auto_kill_on_critical?: boolean;
  /** `[monitoring.nft] dns_query_threshold`. */
  dns_query_threshold?: number;
}

const RECORDED_NUMBERS = [
  'process_count_threshold',
  'process_spawn_rate_threshold',
  'file_read_threshold_mb',
  'file_read_rate_mb_per_sec',
  'file_write_threshold_mb',
  'file_write_rate_mb_per_sec',
  'dns_query_threshold',
] as const;

const RECORDED_SWITCHES = ['auto_pause_on_high', 'auto_kill_on_critical'] as const;

export interface CoiKeys {
  workspace: string;
  /** 0 when not recorded. */
  slot: number;
  tool: string;
  persistent: boolean;
  sessionId: string;
  codeUser: string;
  profile: string;
  /** Undefined when not recorded (containers of an older coi). */
  networkMode: RecordedNetworkMode | undefined;
  /** Monitored unless the launch recorded otherwise. */
  monitored: boolean;
  /** The allowlisted names, in allowlist mode. */
  allowlist: RecordedAllowlistDomain[] | undefined;
  /** The named hosts; empty when none were recorded. */
  hosts: RecordedHost[];
  frozenBy: FrozenBy;
  /** A short name for the container (`user.coi.alias`, what the Go coi's `[container] alias` sets); '' when none. */
  alias: string;
  launchedBy: LaunchedBy;
  /**
   * The title of the alert the threat responder is killing the container for; set before anything
   * else it does, so a session ending meanwhile leaves the deletion to it. '' when none.
   */
  threatKill: string;
  /** Undefined when not recorded (containers of an older coi, `coi container launch`). */
  monitoring: RecordedMonitoring | undefined;
  /** Undefined when not recorded: the monitor daemon's own `no_sni` applies. */
  noSni: RecordedNoSni | undefined;
  /**
   * `inject_in_open` in open or restricted mode: the egress proxy carries the container's HTTP(S)
   * for every name, within these blocks. Undefined: it does not.
   */
  anyNameProxy: RecordedAnyNameProxy | undefined;
}

/** What restricted mode blocks, for the addresses the egress proxy connects to. */
export interface RecordedAnyNameProxy {
  metadata: boolean;
  private: boolean;
}

export const COI_KEYS = {
  workspace: 'user.coi.workspace',
  slot: 'user.coi.slot',
  tool: 'user.coi.tool',
  persistent: 'user.coi.persistent',
  sessionId: 'user.coi.session_id',
  codeUser: 'user.coi.code_user',
  profile: 'user.coi.profile',
  networkMode: 'user.coi.network_mode',
  monitored: 'user.coi.monitored',
  allowlist: 'user.coi.allowlist',
  hosts: 'user.coi.hosts',
  frozenBy: 'user.coi.frozen_by',
  alias: 'user.coi.alias',
  launchedBy: 'user.coi.launched_by',
  threatKill: 'user.coi.threat_kill',
  monitoring: 'user.coi.monitoring',
  noSni: 'user.coi.no_sni',
  anyNameProxy: 'user.coi.any_name_proxy',
} as const satisfies Record<keyof CoiKeys, string>;

export const DEFAULT_CODE_USER = 'code';

const NETWORK_MODES: readonly string[] = ['restricted', 'allowlist', 'open'];

/** Reads the keys from an instance's config; a missing config (an instance mid-stop) reads empty. */
export function readCoiKeys(config: Record<string, string> | undefined): CoiKeys {
  const c = config ?? {};
  const mode = c[COI_KEYS.networkMode];
  const networkMode =
    mode !== undefined && NETWORK_MODES.includes(mode) ? (mode as RecordedNetworkMode) : undefined;
  const slot = Number(c[COI_KEYS.slot] ?? 0);
  return {
    workspace: c[COI_KEYS.workspace] ?? '',
    slot: Number.isInteger(slot) ? slot : 0,
    tool: c[COI_KEYS.tool] ?? '',
    persistent: c[COI_KEYS.persistent] === 'true',
    sessionId: c[COI_KEYS.sessionId] ?? '',
    codeUser: c[COI_KEYS.codeUser] || DEFAULT_CODE_USER,
    profile: c[COI_KEYS.profile] ?? '',
    networkMode,
    monitored: c[COI_KEYS.monitored] !== 'false',
    allowlist:
      networkMode === 'allowlist'
        ? parseJsonList<RecordedAllowlistDomain>(c[COI_KEYS.allowlist])
        : undefined,
    hosts: parseJsonList<RecordedHost>(c[COI_KEYS.hosts]) ?? [],
    frozenBy: c[COI_KEYS.frozenBy] === 'threat' ? 'threat' : '',
    alias: c[COI_KEYS.alias] ?? '',
    launchedBy: c[COI_KEYS.launchedBy] === 'session' ? 'session' : '',
    threatKill: c[COI_KEYS.threatKill] ?? '',
    monitoring: parseMonitoring(c[COI_KEYS.monitoring]),
    noSni: parseNoSni(c[COI_KEYS.noSni]),
    anyNameProxy: parseAnyNameProxy(c[COI_KEYS.anyNameProxy]),
  };
}

/** A hand edit that is not the recorded shape blocks everything (the safe reading). */
function parseAnyNameProxy(text: string | undefined): RecordedAnyNameProxy | undefined {
  if (text === undefined) return undefined;
  const value = parseJsonObject(text);
  return { metadata: value?.metadata !== false, private: value?.private !== false };
}

function parseNoSni(text: string | undefined): RecordedNoSni | undefined {
  return text === 'refuse' || text === 'allow' ? text : undefined;
}

/** The recorded thresholds; entries of the wrong type (a hand edit) are left out. */
function parseMonitoring(text: string | undefined): RecordedMonitoring | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const raw = parsed as Record<string, unknown>;
  const out: RecordedMonitoring = {};
  for (const key of RECORDED_NUMBERS) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  for (const key of RECORDED_SWITCHES) {
    const value = raw[key];
    if (typeof value === 'boolean') out[key] = value;
  }
  const oneLiners = raw.reverse_shell_one_liners;
  if (oneLiners === 'critical' || oneLiners === 'warn' || oneLiners === 'off')
    out.reverse_shell_one_liners = oneLiners;
  return out;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseJsonList<T>(text: string | undefined): T[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? (parsed as T[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The config entries for the given keys, ready for a create or a PATCH. Keys left undefined are
 * not written; an empty profile is not written either (it means "none").
 */
export function coiKeysConfig(keys: Partial<CoiKeys>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, key] of Object.entries(COI_KEYS) as [keyof CoiKeys, string][]) {
    const value = keys[field];
    if (value === undefined) continue;
    if (field === 'profile' && value === '') continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/**
 * A container coi launched as an ephemeral session (and nobody made persistent since): the
 * session's supervision saves and deletes it when it powers itself off.
 */
export function isEphemeralSession(keys: Pick<CoiKeys, 'launchedBy' | 'persistent'>): boolean {
  return keys.launchedBy === 'session' && !keys.persistent;
}

/** The home directory of a container's code user. */
export function codeHome(codeUser: string): string {
  return `/home/${codeUser}`;
}
