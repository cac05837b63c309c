import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, issuesFromZod, type ConfigIssue, type ConfigWarning } from './errors.js';
import {
  layerFromData,
  readLayerFile,
  type Layer,
  type LayerContext,
  type LayerSource,
} from './layer.js';
import { heldBackWarning, type HeldBack } from './held-back.js';
import { mergeLayers, type Origins } from './merge.js';
import { displayPath } from './paths.js';
import { portsIssues } from './ports-check.js';
import { ineffectiveSettings } from './ineffective.js';
import { profileLayers, type LoadedProfile } from './profiles.js';
import { configSchema, layerSchema, type Config, type ConfigOverrides } from './schema.js';
import { DEFAULT_CONFIG_FILE, layerFiles } from './sources.js';
import { trustGate } from './trust.js';
import { sanitizeUntrusted } from './untrusted.js';

export { DEFAULT_CONFIG_FILE };

export interface LoadConfigOptions {
  /** The workspace: its .coi/config.toml and .coi/profiles are read (untrusted). */
  cwd: string;
  home?: string;
  env?: Record<string, string | undefined>;
  /** Directory of the system-wide config.toml. */
  etcDir?: string;
  /** Profile selected on the command line. */
  profile?: string;
  /**
   * Without `profile`, select `[defaults] profile` (session commands only, so that a misspelt
   * default profile does not break `coi list` and friends).
   */
  defaultProfile?: boolean;
  /** Config keys set by command-line flags; applied last. */
  overrides?: ConfigOverrides;
  /** Built-in defaults; tests may point elsewhere. */
  defaultsFile?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Settings ignored because an untrusted file may not make them; print one per line. */
  warnings: ConfigWarning[];
  /** For every effective key, the layer that set it. */
  origins: Origins;
  profile?: LoadedProfile;
}

/** Reads, validates and merges every layer; throws ConfigError listing every problem found. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const home = resolve(options.home ?? homedir());
  const env = options.env ?? process.env;
  const workspace = resolve(options.cwd);
  const ctx: LayerContext = { home, workspace };
  const issues: ConfigIssue[] = [];
  const warnings: ConfigWarning[] = [];
  const held: HeldBack[] = [];
  const layers: Layer[] = [];
  const sanitizeCtx = { ...ctx, gate: trustGate(home, env) };

  const file = (kind: LayerSource['kind'], path: string, trusted: boolean, required = false) => {
    const source = { kind, label: displayPath(path, home), file: path, trusted };
    const read = readLayerFile(source, layerSchema, ctx, required);
    if (read === undefined) return;
    if (read.layer === undefined) return void issues.push(...read.issues);
    if (trusted) return void layers.push(read.layer);
    const sanitized = sanitizeUntrusted(read.layer.data, read.layer.source, sanitizeCtx);
    warnings.push(...sanitized.warnings);
    if (sanitized.held) held.push(sanitized.held);
    layers.push({ source, data: sanitized.data });
  };

  const defaults = options.defaultsFile ?? DEFAULT_CONFIG_FILE;
  const defaultsSource = {
    kind: 'default' as const,
    label: 'built-in defaults',
    file: defaults,
    trusted: true,
  };
  const builtIn = readLayerFile(defaultsSource, layerSchema, ctx, true)!;
  if (builtIn.layer) layers.push(builtIn.layer);
  else issues.push(...builtIn.issues);

  for (const f of layerFiles({ home, workspace, env, etcDir: options.etcDir }))
    file(f.kind, f.path, f.trusted, f.required);

  let profile: LoadedProfile | undefined;
  const profileName =
    options.profile ?? (options.defaultProfile ? defaultProfileName(layers) : undefined);
  if (profileName !== undefined) {
    const loaded = profileLayers(profileName, sanitizeCtx);
    if (loaded.result) {
      layers.push(...loaded.result.layers);
      warnings.push(...loaded.result.warnings);
      held.push(...loaded.result.held);
      profile = loaded.result.profile;
    } else issues.push(...loaded.issues);
  }

  if (options.overrides !== undefined) {
    const source = { kind: 'cli' as const, label: 'command line', trusted: true };
    const cli = layerFromData(source, options.overrides, layerSchema, { ...ctx, base: workspace });
    if (cli.layer) layers.push(cli.layer);
    else issues.push(...cli.issues);
  }

  if (issues.length > 0) throw new ConfigError(issues);
  const heldBack = heldBackWarning(held);
  if (heldBack) warnings.push(heldBack);
  const { merged, origins } = mergeLayers(layers);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      issuesFromZod('effective configuration', configSchema, merged, parsed.error.issues),
    );
  }
  const config = parsed.data;
  const crossIssues = crossCheck(config, origins);
  if (crossIssues.length > 0) throw new ConfigError(crossIssues);
  warnings.push(...ineffectiveSettings(config, origins));
  return { config, warnings, origins, ...(profile ? { profile } : {}) };
}

/** `[defaults] profile` of the last layer that sets it (workspace files cannot: sanitized). */
function defaultProfileName(layers: Layer[]): string | undefined {
  return layers.findLast((layer) => layer.data.defaults?.profile !== undefined)?.data.defaults
    ?.profile;
}

/** Rules between keys, reported against the file that set the deciding key. */
function crossCheck(config: Config, origins: Origins): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const from = (key: string) => origins[key]?.source ?? 'effective configuration';
  if (config.network.mode === 'allowlist' && config.network.allowed_domains.length === 0) {
    issues.push({
      file: from('network.mode'),
      key: 'network.allowed_domains',
      expected: 'at least one host when network.mode is "allowlist"',
      got: 'an empty array',
    });
  }
  if (config.network.mode === 'allowlist' && config.network.dns_servers.length > 0) {
    issues.push({
      file: from('network.dns_servers'),
      key: 'network.dns_servers',
      expected:
        'no DNS servers when network.mode is "allowlist" (coi answers the allowlisted names itself)',
      got: JSON.stringify(config.network.dns_servers),
      hint: 'remove dns_servers or use network.mode = "restricted"',
    });
  }
  if (config.timezone.mode === 'fixed' && config.timezone.name === undefined) {
    issues.push({
      file: from('timezone.mode'),
      key: 'timezone.name',
      expected: 'an IANA time zone when timezone.mode is "fixed"',
      got: 'nothing (the key is missing)',
    });
  }
  issues.push(...portsIssues(config.ports, from));
  return issues;
}
