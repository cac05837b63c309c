import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IncusApi } from '../../../incus/index.js';
import { matchAllowlist } from '../../../security/dns/allowlist-match.js';
import type { NetworkPolicy } from '../../../security/nft/index.js';
import { caFiles, createProxyCa } from '../../../security/proxy/inject/ca.js';
import type { InjectRule } from '../../../security/proxy/inject/rules.js';
import {
  injectionDir,
  removeInjection,
  writeInjectRules,
} from '../../../security/proxy/inject/store.js';
import { CoiError } from '../../../shared/errors.js';
import type { Reverter } from '../../../shared/revert.js';
import type { Config } from '../../config/index.js';
import type { ProxyLogin, ProxySentinel, ToolAdapter } from '../../tools/types.js';
import { writeSystemFiles } from '../host-copies/copy-in.js';
import { loginEnv, withoutLoginEnv, type LoginEnv } from './login-env.js';
import { chooseProxyLogin, loginVariables, sourceName, type ChosenLogin } from './proxy-login.js';

/** What the container's tools send in place of a login the egress proxy sets. */
export const PROXY_SENTINEL = 'coi-egress-proxy-sentinel';
/** The container's proxy CA inside (also NODE_EXTRA_CA_CERTS: node carries its own CA list). */
export const PROXY_CA_INSIDE = '/usr/local/share/ca-certificates/coi-egress-proxy.crt';

/** A session's credential injection, decided on the host before anything is created. */
export interface CredentialProxy {
  rules: InjectRule[];
  /**
   * Open or restricted mode with `inject_in_open`: the proxy lets every name through (the
   * container's allowlist does not apply) and only the inject names are terminated.
   */
  anyName: boolean;
  /** Added to the session's environment. */
  env: Record<string, string>;
  /** The tool's login goes by the proxy: its files hold this sentinel (HostCopyRequest). */
  loginSentinel?: ProxySentinel;
  /** Which login that is and where its secret is, said at launch. */
  loginLine?: string;
  /**
   * The proxied login's variables and those of `env`-sourced rules: the session's configuration
   * must not bring in their real values.
   */
  secretEnv?: LoginEnv;
}

export class CredentialProxyError extends CoiError {
  constructor(message: string) {
    super(message, 'config');
  }
}

/**
 * `[[network.proxy.inject]]` and `[tool.claude] credentials = "proxy"` as rules for the egress
 * proxy; undefined when there are none. An `env` source is read here (the daemon does not share
 * this environment).
 */
export function planCredentialProxy(
  config: Config,
  tool: ToolAdapter,
  policy: NetworkPolicy,
  hostEnv: NodeJS.ProcessEnv,
  hostHome: string = homedir(),
): CredentialProxy | undefined {
  const rules = config.network.proxy.inject.map((rule, index): InjectRule => {
    const key = `network.proxy.inject[${index}]`;
    const base = { domain: rule.domain, header: rule.header, format: rule.format };
    if (rule.file !== undefined) {
      const path = rule.file.startsWith('~') ? join(hostHome, rule.file.slice(1)) : rule.file;
      return { ...base, source: { kind: 'file', path, pointer: rule.json_pointer ?? '' } };
    }
    if (rule.command !== undefined)
      return { ...base, source: { kind: 'command', command: rule.command } };
    const name = rule.env ?? '';
    const value = hostEnv[name];
    if (!value)
      throw new CredentialProxyError(
        `${key}.env: ${name} is not set in this environment; set it before starting coi or remove the rule`,
      );
    return { ...base, source: { kind: 'value', value } };
  });
  const login =
    config.tool.claude.credentials === 'proxy' && tool.proxyLogins
      ? proxiedLogin(tool, tool.proxyLogins, hostEnv, hostHome)
      : undefined;
  if (login) rules.push(login.rule);
  if (rules.length === 0) return undefined;
  const variables = ruleVariables(config);
  const loginGuard = login ? loginEnv(tool.proxyLogins ?? [], login) : undefined;
  const secretEnv = joinGuards(loginGuard, variables.guard);
  const what = login ? 'tool.claude.credentials = "proxy"' : 'network.proxy.inject';
  const anyName = policy.mode !== 'allowlist';
  if (anyName && !config.network.proxy.inject_in_open)
    throw new CredentialProxyError(
      `${what} needs network.mode = "allowlist" (only then does the egress proxy see the container's HTTPS); the mode is "${policy.mode}". ` +
        'To inject in this mode, set [network.proxy] inject_in_open = true in a trusted config file (its HTTP(S) then goes through the proxy)',
    );
  if (!anyName)
    for (const rule of rules) {
      const probe = rule.domain.startsWith('*.') ? `coi-probe${rule.domain.slice(1)}` : rule.domain;
      if (!matchAllowlist(probe, policy.allowlist.domains))
        throw new CredentialProxyError(
          `${what}: ${rule.domain} is not on network.allowed_domains; add it there so the container may reach it`,
        );
    }
  return {
    rules,
    anyName,
    env: proxyEnv(variables.sentinels, loginGuard),
    ...(secretEnv ? { secretEnv } : {}),
    ...(login
      ? {
          loginSentinel: { value: PROXY_SENTINEL, login: login.login.kind },
          loginLine: loginLine(tool, login),
        }
      : {}),
  };
}

/** The variables of `env`-sourced inject rules: inside, each holds its sentinel or is not set. */
function ruleVariables(config: Config): { sentinels: Record<string, string>; guard: LoginEnv } {
  const sentinels: Record<string, string> = {};
  const dropped: string[] = [];
  for (const { env, sentinel } of config.network.proxy.inject) {
    if (env === undefined) continue;
    if (sentinel !== undefined) sentinels[env] = sentinel;
    else dropped.push(env);
  }
  return { sentinels, guard: { sentinel: Object.keys(sentinels), dropped } };
}

function joinGuards(login: LoginEnv | undefined, rules: LoginEnv): LoginEnv | undefined {
  const sentinel = [...new Set([...(login?.sentinel ?? []), ...rules.sentinel])];
  const dropped = [...new Set([...(login?.dropped ?? []), ...rules.dropped])].filter(
    (name) => !sentinel.includes(name),
  );
  return sentinel.length + dropped.length > 0 ? { sentinel, dropped } : undefined;
}

/** What the proxy adds to the session's environment: the sentinels, node trusting its CA. */
function proxyEnv(
  ruleSentinels: Record<string, string>,
  loginGuard: LoginEnv | undefined,
): Record<string, string> {
  const loginSentinels = (loginGuard?.sentinel ?? []).map((name) => [name, PROXY_SENTINEL]);
  return {
    ...ruleSentinels,
    ...Object.fromEntries(loginSentinels),
    NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE,
  };
}

/**
 * The session's environment as a launch leaves it, for a command with no launch plan (`coi tool
 * spec`): no real secret that the egress proxy sets (an inject rule's variable holds its sentinel
 * or is dropped; of the tool's proxied login variables, the one the host's login is found by
 * holds the sentinel, every other one is dropped), node trusting the proxy's CA.
 */
export function proxiedEnvironment(
  configured: Record<string, string>,
  config: Config,
  tool: ToolAdapter,
  hostEnv: NodeJS.ProcessEnv,
  hostHome: string = homedir(),
): Record<string, string> {
  const logins = config.tool.claude.credentials === 'proxy' ? tool.proxyLogins : undefined;
  if (!logins && config.network.proxy.inject.length === 0) return configured;
  const chosen = logins && chooseProxyLogin(logins, hostEnv, hostHome);
  const loginGuard =
    logins &&
    (chosen ? loginEnv(logins, chosen) : { sentinel: [], dropped: loginVariables(logins) });
  const variables = ruleVariables(config);
  const guard = joinGuards(loginGuard, variables.guard);
  const { env } = guard ? withoutLoginEnv(configured, guard) : { env: configured };
  return { ...env, ...proxyEnv(variables.sentinels, loginGuard) };
}

/** The login the host has, OAuth before an API key; none is an error saying what to do. */
function proxiedLogin(
  tool: ToolAdapter,
  logins: readonly ProxyLogin[],
  hostEnv: NodeJS.ProcessEnv,
  hostHome: string,
): ChosenLogin {
  const chosen = chooseProxyLogin(logins, hostEnv, hostHome);
  if (chosen) return chosen;
  const sources = logins.flatMap((login) => login.sources);
  const variables = sources.flatMap((source) => (source.kind === 'env' ? [source.name] : []));
  const orExport = variables.length > 0 ? ` (or export ${variables.join(' or ')})` : '';
  throw new CredentialProxyError(
    `tool.claude.credentials = "proxy": the host has no ${tool.name} login (looked for ${sources.map(sourceName).join(', ')}); ` +
      `log in with \`${tool.defaultBinary}\` on the host first${orExport}, or set credentials = "copy"`,
  );
}

function loginLine(tool: ToolAdapter, { login, from }: ChosenLogin): string {
  return (
    `The ${tool.name} login goes by the egress proxy: its ${login.label} (${from}) is set as ` +
    `${login.header} for ${login.domain} on the host; the container holds a sentinel`
  );
}

/**
 * Before the container starts (the monitor daemon reads them when it registers it): its CA —
 * kept for a container that is started again — and its rules, on the host.
 */
export async function prepareCredentialProxy(
  coiDir: string,
  container: string,
  proxy: CredentialProxy,
  revert: Reverter,
): Promise<void> {
  const dir = injectionDir(coiDir, container);
  if (!existsSync(caFiles(dir).key)) {
    revert.add(() => removeInjection(dir));
    await createProxyCa(dir, container);
  }
  await writeInjectRules(dir, proxy.rules);
}

/** Puts the container's CA certificate (never its key) in its trust store. */
export async function installProxyCa(
  incus: IncusApi,
  coiDir: string,
  container: string,
): Promise<void> {
  const cert = await readFile(caFiles(injectionDir(coiDir, container)).cert, 'utf8');
  await writeSystemFiles(incus, container, [{ path: PROXY_CA_INSIDE, content: cert }]);
  const result = await incus.exec.run(container, ['update-ca-certificates']);
  if (result.exitCode !== 0)
    throw new CoiError(
      `installing the egress proxy's CA in ${container} failed (update-ca-certificates exit ${result.exitCode}): ${result.stderr.toString().trim()}`,
    );
}
