import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoiError } from '../../shared/errors.js';

/**
 * A GTFOBins database (a clone of github.com/GTFOBins/GTFOBins.github.io, as `coi update
 * patterns` keeps it in ~/.coi/gtfobins): one file per program under `_gtfobins/`, YAML with a
 * `functions:` map. coi reads one thing of it: which programs GTFOBins knows to carry a shell over
 * a connection (a `reverse-shell` or `bind-shell` function).
 */
export interface GtfobinsDatabase {
  /** Every program the database lists. */
  programs: number;
  /** The programs with a reverse-shell or bind-shell function, sorted. */
  shellPrograms: string[];
}

export const GTFOBINS_ENTRIES = '_gtfobins';

/** Where `coi update patterns` keeps the database. */
export function gtfobinsDir(coiDir: string): string {
  return join(coiDir, 'gtfobins');
}

/** A `reverse-shell:`/`bind-shell:` key indented under `functions:` (both file formats). */
const SHELL_FUNCTION = /^[ \t]+(reverse-shell|bind-shell):/m;

/** Reads the database at `dir`; throws a CoiError saying why it is not one. */
export function readGtfobins(dir: string): GtfobinsDatabase {
  const entries = join(dir, GTFOBINS_ENTRIES);
  let names: string[];
  try {
    names = readdirSync(entries, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    throw new CoiError(`${dir} is not a GTFOBins database: it has no ${GTFOBINS_ENTRIES}/ folder`);
  }
  const shellPrograms: string[] = [];
  let programs = 0;
  for (const name of names) {
    const text = readFileSync(join(entries, name), 'utf8');
    const functions = text.search(/^functions:/m);
    if (functions < 0) continue;
    programs++;
    if (SHELL_FUNCTION.test(text.slice(functions))) shellPrograms.push(name.replace(/\.md$/, ''));
  }
  if (programs === 0)
    throw new CoiError(
      `${dir} is not a GTFOBins database: no file in ${GTFOBINS_ENTRIES}/ has a \`functions:\` section`,
    );
  if (shellPrograms.length === 0)
    throw new CoiError(
      `${dir} is not a usable GTFOBins database: none of its ${programs} programs has a reverse-shell or bind-shell function`,
    );
  return { programs, shellPrograms: shellPrograms.sort() };
}

/** The shell-carrying programs of the database at `dir`; none when it is missing or unusable. */
export function gtfobinsShellPrograms(dir: string): string[] {
  try {
    return readGtfobins(dir).shellPrograms;
  } catch {
    return [];
  }
}
