import { CoiError } from '../../shared/errors.js';
import { run } from '../../shared/run.js';
import type { CoreUpdate, Install } from './install.js';

/**
 * `coi update core` of an npm install: the registry's latest version of the package against
 * this one, then `npm install -g <name>@<latest>` — npm, not coi, replaces the files.
 */
export async function updateNpmInstall(install: Install, opts: CoreUpdate): Promise<void> {
  const { say } = opts;
  const latest = await latestVersion(install.name);
  say(`Current version: v${install.version}`);
  say(`Latest release:  v${latest}`);
  if (compareVersions(install.version, latest) >= 0) {
    say('', 'You are already on the latest version.');
    return;
  }
  if (opts.check) {
    say('', `Update available: v${install.version} → v${latest}`);
    return;
  }
  if (!opts.force && !(await opts.confirm('Install update?'))) {
    say('Cancelled.');
    return;
  }
  const args = ['install', '--global', `${install.name}@${latest}`];
  say(`Running: npm ${args.join(' ')}`);
  try {
    await run('npm', args, { onLine: say });
  } catch (err) {
    throw new CoiError(
      `${(err as Error).message}\nIf the global folder is not yours, re-run with: sudo npm ${args.join(' ')}`,
    );
  }
  say('', `Successfully updated to v${latest}`);
}

async function latestVersion(name: string): Promise<string> {
  try {
    const out = (await run('npm', ['view', name, 'version'])).trim();
    if (!/^\d+\.\d+\.\d+/.test(out)) throw new Error(`npm answered "${out}"`);
    return out;
  } catch (err) {
    throw new CoiError(
      `failed to check for updates: the npm registry did not tell the latest ${name} (${(err as Error).message})`,
    );
  }
}

/** -1, 0, 1 as `a` is older, the same or newer than `b` (numeric parts; a pre-release is older). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { parts: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
