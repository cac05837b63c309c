import { existsSync, renameSync, rmSync } from 'node:fs';
import { CoiError } from '../../shared/errors.js';
import { run } from '../../shared/run.js';
import { readGtfobins } from '../../security/patterns/gtfobins.js';

export const DEFAULT_GTFOBINS_SOURCE = 'https://github.com/GTFOBins/GTFOBins.github.io.git';

export interface GtfobinsUpdate {
  /** The database folder (~/.coi/gtfobins). */
  dir: string;
  /** Where to fetch from; default: the folder's own origin, else upstream GTFOBins. */
  source?: string;
  /** Print the git commands instead of running them. */
  dryRun?: boolean;
  /** How `dir` is shown (~ for the home). */
  shown: string;
  say: (line: string) => void;
}

/** git never asks for a password on a terminal coi holds (a private URL fails instead). */
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

/**
 * Fetches a GTFOBins database into `dir`: a fresh shallow clone next to it, checked to be a
 * database (see readGtfobins), then put in place of the old one — so a source that cannot be
 * fetched or is not a database leaves the old data as it was, and says why.
 */
export async function updateGtfobins(opts: GtfobinsUpdate): Promise<void> {
  const { dir, shown, say } = opts;
  const exists = existsSync(dir);
  if (exists && !existsSync(`${dir}/.git`))
    throw new CoiError(
      `${shown} exists but is not a git repository; remove it and re-run to clone fresh`,
    );
  const source = opts.source ?? (exists ? await originOf(dir) : DEFAULT_GTFOBINS_SOURCE);
  say(
    exists
      ? `Updating GTFOBins database at ${shown} from ${source}...`
      : `Cloning GTFOBins database from ${source} to ${shown}...`,
  );
  const fresh = `${dir}.new-${process.pid}`;
  const clone = ['clone', '--quiet', '--depth=1', '--', source, fresh];
  if (opts.dryRun) {
    say(`[dry-run] git ${clone.join(' ')}`);
    say(`[dry-run] check ${fresh}, then put it in place of ${dir}`);
    return;
  }
  const kept = exists ? `the database at ${shown} is unchanged` : `no database was installed`;
  rmSync(fresh, { recursive: true, force: true });
  try {
    await run('git', clone, { env: GIT_ENV });
    const db = readGtfobins(fresh);
    replace(dir, fresh);
    say(
      `GTFOBins database at ${shown}: ${db.programs} programs, ${db.shellPrograms.length} with a reverse or bind shell.`,
    );
  } catch (err) {
    rmSync(fresh, { recursive: true, force: true });
    const why = (err as Error).message.replaceAll(fresh, source);
    throw new CoiError(`could not update the GTFOBins database from ${source}: ${why}\n(${kept})`);
  }
}

async function originOf(dir: string): Promise<string> {
  const url = await run('git', ['-C', dir, 'remote', 'get-url', 'origin'], { env: GIT_ENV }).catch(
    () => '',
  );
  return url.trim() || DEFAULT_GTFOBINS_SOURCE;
}

/** Puts `fresh` where `dir` is, the old one removed only once the new one is in place. */
function replace(dir: string, fresh: string): void {
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(fresh, dir);
  rmSync(old, { recursive: true, force: true });
}
