/**
 * Reads the incus CLI's `config.yml`. It is a small YAML document of nested maps and scalars
 * (Go's yaml.v2 output of the CLI config), so a subset parser is enough: block maps by
 * indentation, plain/quoted scalars, `{}`, `[]` and comments. Anything else is reported with
 * its line so the user can fix the file.
 */

export type YamlValue = string | boolean | null | YamlMap | YamlValue[];
export interface YamlMap {
  [key: string]: YamlValue;
}

export interface RemoteEntry {
  addr: string;
  protocol: string;
  public: boolean;
  authType?: string;
  project?: string;
}

export interface RemotesConfig {
  defaultRemote: string;
  remotes: Record<string, RemoteEntry>;
}

function scalar(raw: string, where: string): YamlValue {
  const text = raw.trim();
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text === '' || text === '~' || text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2)
      throw new Error(`${where}: unterminated double quote`);
    return JSON.parse(text) as string;
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2)
      throw new Error(`${where}: unterminated single quote`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!|>]/.test(text)) throw new Error(`${where}: unsupported YAML syntax "${text}"`);
  return text;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Parses the nested-map YAML subset of the CLI config; `source` names the file in errors. */
export function parseYamlSubset(text: string, source = 'config.yml'): YamlMap {
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: 0, map: root }];
  let pendingKey: { key: string; indent: number; parent: YamlMap } | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const where = `${source} line ${index + 1}`;
    const line = stripComment(rawLine).replace(/\s+$/, '');
    if (line.trim() === '' || line.trim() === '---') return;
    if (/^\t/.test(line)) throw new Error(`${where}: tabs are not allowed for indentation`);
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body.startsWith('- ')) throw new Error(`${where}: block lists are not supported here`);
    const match = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(body);
    if (!match) throw new Error(`${where}: expected "key: value", got "${body}"`);
    const key = String(scalar(match[1]!, where));
    if (pendingKey) {
      if (indent > pendingKey.indent) {
        const child: YamlMap = {};
        pendingKey.parent[pendingKey.key] = child;
        stack.push({ indent, map: child });
      } else {
        pendingKey.parent[pendingKey.key] = null;
      }
      pendingKey = undefined;
    }
    while (stack.length > 1 && indent < stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (indent !== top.indent) {
      throw new Error(`${where}: indentation does not match the enclosing block`);
    }
    if (match[2] === undefined || match[2] === '') {
      pendingKey = { key, indent, parent: top.map };
    } else {
      top.map[key] = scalar(match[2], where);
    }
  });
  if (pendingKey) pendingKey.parent[pendingKey.key] = null;
  return root;
}

function str(value: YamlValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The remotes of a parsed `config.yml`; the CLI's implicit `local` remote is always there. */
export function remotesFromConfig(doc: YamlMap): RemotesConfig {
  const remotes: Record<string, RemoteEntry> = {
    local: { addr: 'unix://', protocol: 'incus', public: false },
  };
  const raw = doc.remotes;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
      const entry = value;
      remotes[name] = {
        addr: str(entry.addr) ?? '',
        protocol: str(entry.protocol) ?? 'incus',
        public: entry.public === true,
        authType: str(entry.auth_type),
        project: str(entry.project),
      };
    }
  }
  return { defaultRemote: str(doc['default-remote']) ?? 'local', remotes };
}
