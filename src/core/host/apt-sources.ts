import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  signedBy?: string;
}

/** Reads deb822 (`*.sources`) and one-line (`*.list`, `sources.list`) apt sources. */
export function readAptSources(root = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const files = [join(root, 'sources.list')];
  const dir = join(root, 'sources.list.d');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) files.push(join(dir, f));
  }
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) sources.push(...parseDeb822(text));
    else if (file.endsWith('.list')) sources.push(...parseOneLine(text));
  }
  return sources;
}

export function parseDeb822(text: string): AptSource[] {
  return text
    .split(/\n\s*\n/)
    .map((stanza) => {
      const fields = new Map<string, string>();
      for (const line of stanza.split('\n')) {
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
        if (m?.[1] && m[2] !== undefined) fields.set(m[1].toLowerCase(), m[2].trim());
      }
      return fields;
    })
    .filter((f) => f.get('uris') && (f.get('types') ?? 'deb').split(/\s+/).includes('deb'))
    .filter((f) => f.get('enabled') !== 'no')
    .map((f) => ({
      uri: (f.get('uris') ?? '').split(/\s+/)[0] ?? '',
      suites: (f.get('suites') ?? '').split(/\s+/).filter(Boolean),
      components: (f.get('components') ?? '').split(/\s+/).filter(Boolean),
      signedBy: f.get('signed-by'),
    }));
}

export function parseOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (m?.[1] && m[2]) {
      out.push({
        uri: m[1],
        suites: [m[2]],
        components: (m[3] ?? '').split(/\s+/).filter(Boolean),
      });
    }
  }
  return out;
}

/** The archive that serves `suite` on this machine, e.g. the Debian mirror for bookworm. */
export function mirrorFor(suite: string, sources = readAptSources()): AptSource | undefined {
  return sources.find((s) => s.suites.includes(suite) && s.components.includes('main'));
}
