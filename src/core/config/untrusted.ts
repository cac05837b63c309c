import type { ConfigWarning } from './errors.js';
import { gatedEntries, withoutGated } from './gated.js';
import type { HeldBack } from './held-back.js';
import type { LayerSource } from './layer.js';
import { displayPath, isInside, realPath } from './paths.js';
import type { ConfigLayer } from './schema.js';
import type { TrustGate } from './trust.js';

/**
 * Workspace files (./.coi/config.toml and ./.coi/profiles/*) come with the code being worked on,
 * so they may tighten protection but never loosen it. What they may not set is dropped with a
 * warning; the rest of the file still applies. What reaches the host (gated.ts) is held back
 * until the user approves the file with `coi trust`.
 */

interface Rule {
  key: string;
  /** Whether this value would weaken protection. */
  weakens: (value: unknown) => boolean;
  /** Completes "a workspace file cannot …". */
  why: string;
}

const any = () => true;
const is = (bad: unknown) => (value: unknown) => value === bad;
const nonEmpty = (value: unknown) => !Array.isArray(value) || value.length > 0;

const RULES: Rule[] = [
  { key: 'network.mode', weakens: is('open'), why: 'open the network' },
  {
    key: 'network.allow_local_network_access',
    weakens: is(true),
    why: 'allow access to the local network',
  },
  { key: 'network.block_private_networks', weakens: is(false), why: 'unblock private networks' },
  {
    key: 'network.block_metadata_endpoint',
    weakens: is(false),
    why: 'unblock the cloud metadata endpoint',
  },
  { key: 'network.hosts', weakens: nonEmpty, why: 'open the firewall to named hosts' },
  { key: 'network.allowed_ports', weakens: nonEmpty, why: 'choose the ports that may go out' },
  { key: 'network.dns_servers', weakens: nonEmpty, why: 'choose the DNS servers' },
  {
    key: 'network.proxy.no_sni',
    weakens: is('allow'),
    why: 'let connections that name no host through the egress proxy',
  },
  { key: 'security.disable_protection', weakens: is(true), why: 'turn off path protection' },
  { key: 'security.host_immutable', weakens: is(false), why: 'turn off host immutability' },
  { key: 'security.protected_paths', weakens: any, why: 'replace the protected paths' },
  {
    key: 'security.reduce_kernel_surface',
    weakens: any,
    why: 'choose whether kernel syscalls are denied',
  },
  {
    key: 'security.reduce_kernel_surface_strict',
    weakens: any,
    why: 'choose whether kernel syscalls are denied',
  },
  { key: 'container.docker', weakens: is(true), why: 'turn Docker support (nesting) on' },
  {
    key: 'security.writable_paths',
    weakens: (value) => Array.isArray(value) && value.length > 0,
    why: 'make protected paths writable',
  },
  {
    key: 'security.writable_agent_config',
    weakens: is(true),
    why: 'make the agent configuration writable',
  },
  { key: 'git.writable_hooks', weakens: is(true), why: 'make git hooks writable' },
  { key: 'git.protected_branches', weakens: any, why: 'choose the protected branches' },
  { key: 'git.readonly', weakens: is(false), why: 'unpin the git identity' },
  { key: 'git.strip_attribution', weakens: any, why: 'choose whether attribution is stripped' },
  {
    key: 'git.strip_attribution_patterns',
    weakens: any,
    why: 'choose which commit message lines are removed',
  },
  { key: 'defaults.env_commands', weakens: any, why: 'run commands on the host' },
  {
    key: 'network.proxy.inject',
    weakens: (value) => Array.isArray(value) && value.length > 0,
    why: 'send host secrets to a server of its choosing',
  },
  {
    key: 'network.proxy.inject_in_open',
    weakens: any,
    why: "choose whether open mode's HTTP(S) goes through the egress proxy",
  },
  {
    key: 'tool.claude.credentials',
    weakens: any,
    why: 'choose how the Claude login reaches the container',
  },
  { key: 'tool.context_file', weakens: any, why: "read a host file into the agent's context" },
  { key: 'prompts', weakens: any, why: 'define named prompts (they would run with full power)' },
  { key: 'defaults.profile', weakens: any, why: 'choose the profile sessions start with' },
  {
    key: 'container.session_name',
    weakens: any,
    why: "take another session's identity (containers and saved sessions)",
  },
  {
    key: 'tool.pre_launch',
    weakens: (value) => (Array.isArray(value) ? value.length > 0 : true),
    why: 'run commands before the agent starts',
  },
  {
    key: 'defaults.forward_env',
    weakens: (value) => Array.isArray(value) && value.length > 0,
    why: 'copy host environment variables (credentials) into the session',
  },
  { key: 'paths', weakens: any, why: 'choose where coi writes on the host' },
  { key: 'incus', weakens: any, why: 'change the Incus project, remote, group or container user' },
  { key: 'monitoring.enabled', weakens: is(false), why: 'turn off monitoring' },
  { key: 'monitoring.auto_pause_on_high', weakens: is(false), why: 'turn off automatic pausing' },
  { key: 'monitoring.auto_kill_on_critical', weakens: is(false), why: 'turn off automatic kills' },
  { key: 'monitoring.forensics_on_kill', weakens: is(false), why: 'turn off forensics' },
  {
    key: 'monitoring.reverse_shell_one_liners',
    weakens: (value) => value !== 'critical',
    why: 'lower the reverse-shell severity',
  },
  ...[
    'process_count_threshold',
    'process_spawn_rate_threshold',
    'file_read_threshold_mb',
    'file_read_rate_mb_per_sec',
    'file_write_threshold_mb',
    'file_write_rate_mb_per_sec',
  ].map((name) => ({
    key: `monitoring.${name}`,
    weakens: any,
    why: 'change the monitoring thresholds',
  })),
  {
    key: 'monitoring.process_events',
    weakens: is(false),
    why: 'turn off process-start events',
  },
  { key: 'monitoring.nft.enabled', weakens: is(false), why: 'turn off network monitoring' },
  { key: 'monitoring.nft.log_dns_queries', weakens: is(false), why: 'turn off DNS logging' },
  {
    key: 'monitoring.nft.dns_query_threshold',
    weakens: any,
    why: 'change the DNS tunnelling threshold',
  },
];

export interface SanitizeContext {
  home: string;
  workspace: string;
  gate: TrustGate;
}

export function sanitizeUntrusted<T extends ConfigLayer>(
  input: T,
  source: LayerSource,
  ctx: SanitizeContext,
): { data: T; warnings: ConfigWarning[]; held?: HeldBack } {
  const label = source.label;
  const data = structuredClone(input);
  const warnings: ConfigWarning[] = [];
  const drop = (key: string, shown: string, why: string) =>
    warnings.push({
      file: label,
      key,
      message:
        `${label}: ${shown} ignored: a workspace file cannot ${why}; ` +
        'set it in ~/.coi/config.toml if you trust this workspace',
    });

  for (const rule of RULES) {
    const path = rule.key.split('.');
    const parent = tableAt(data, path.slice(0, -1));
    const leaf = path.at(-1)!;
    const value = parent?.[leaf];
    if (value === undefined || !rule.weakens(value)) continue;
    delete parent![leaf];
    if (isTable(value)) {
      for (const [key, inner] of Object.entries(value)) {
        drop(`${rule.key}.${key}`, `${rule.key}.${key} = ${shownValue(inner)}`, rule.why);
      }
    } else drop(rule.key, `${rule.key} = ${shownValue(value)}`, rule.why);
  }

  const workspace = realPath(ctx.workspace);
  const outside = (host: string) => !isInside(realPath(host), workspace);
  const script = data.container?.build?.script;
  if (script !== undefined && outside(script)) {
    delete data.container!.build!.script;
    drop(
      'container.build.script',
      `container.build.script = ${JSON.stringify(displayPath(script, ctx.home))}`,
      'read a build script from outside the workspace',
    );
  }

  const entries = gatedEntries(data, ctx);
  if (entries.length === 0) return { data, warnings };
  const approval = ctx.gate.approval(source, entries);
  if (approval === 'approved') return { data, warnings };
  return { data: withoutGated(data, entries), warnings, held: { label, approval, entries } };
}

function tableAt(data: object, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return isTable(node) ? node : undefined;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shownValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : '[…]';
  if (isTable(value)) return '{…}';
  return JSON.stringify(value);
}
