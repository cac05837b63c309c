import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectRule, SecretSource } from '../../../security/proxy/inject/rules.js';
import { resolvePointer } from '../../../security/proxy/inject/json-pointer.js';
import type { ProxyLogin, ProxyLoginSource } from '../../tools/types.js';

/** The tool login the egress proxy sets for a session, as an inject rule. */
export interface ChosenLogin {
  login: ProxyLogin;
  rule: InjectRule;
  /** Where its secret is on the host, for the launch line (sourceName). */
  from: string;
  /** The session's variables that hold the sentinel: the login's own and the variable it came from. */
  sentinelEnv: string[];
}

/**
 * The first of the tool's logins the host has, by the first of its sources found; undefined when
 * it has none. Files are only checked here (the proxy reads them on each request); a variable's
 * value is taken now.
 */
export function chooseProxyLogin(
  logins: readonly ProxyLogin[],
  hostEnv: NodeJS.ProcessEnv,
  hostHome: string,
): ChosenLogin | undefined {
  for (const login of logins)
    for (const source of login.sources) {
      const secret = secretSource(source, hostEnv, hostHome);
      if (secret === undefined) continue;
      const { domain, header, format } = login;
      const own = source.kind === 'env' ? [source.name] : [];
      return {
        login,
        rule: { domain, header, format, source: secret },
        from: sourceName(source),
        sentinelEnv: [...new Set([...(login.sentinelEnv ?? []), ...own])],
      };
    }
  return undefined;
}

/** Every variable a session could carry one of the tool's logins in (its env sources and sentinels). */
export function loginVariables(logins: readonly ProxyLogin[]): string[] {
  const names = logins.flatMap((login) => [
    ...login.sources.flatMap((source) => (source.kind === 'env' ? [source.name] : [])),
    ...(login.sentinelEnv ?? []),
  ]);
  return [...new Set(names)];
}

/** `ANTHROPIC_API_KEY`, `primaryApiKey in ~/.claude.json`. */
export function sourceName(source: ProxyLoginSource): string {
  if (source.kind === 'env') return source.name;
  return `${source.jsonPointer.split('/').at(-1) ?? ''} in ~/${source.file}`;
}

function secretSource(
  source: ProxyLoginSource,
  hostEnv: NodeJS.ProcessEnv,
  hostHome: string,
): SecretSource | undefined {
  if (source.kind === 'env') {
    const value = hostEnv[source.name];
    return value ? { kind: 'value', value } : undefined;
  }
  const path = join(hostHome, source.file);
  const found = stringAt(path, source.jsonPointer);
  if (found === undefined) return undefined;
  return source.kind === 'file'
    ? {
        kind: 'file',
        path,
        pointer: source.jsonPointer,
        ...(source.refresh ? { refresh: source.refresh } : {}),
      }
    : { kind: 'command', command: found };
}

/** The non-empty string at a JSON pointer of a file; undefined when the file or it is not there. */
function stringAt(path: string, pointer: string): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Missing, unreadable or not JSON: no login there.
    return undefined;
  }
  const value = resolvePointer(document, pointer);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
