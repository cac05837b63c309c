import { readFile } from 'node:fs/promises';
import type { SessionLogPaths } from './paths.js';

/** How `coi logs` marks the lines of the stderr log. */
export const ERR_PREFIX = '[ERR] ';

/** Each line of `text` with `prefix` before it and a newline after it (the last one included). */
export function prefixLines(text: string, prefix: string): string {
  if (text === '') return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.map((line) => `${prefix}${line}\n`).join('');
}

/**
 * Both logs as `coi logs` prints them: the stdout log, then the stderr log's lines marked
 * `[ERR] `. Undefined when neither file exists.
 */
export async function readSessionLogs(paths: SessionLogPaths): Promise<string | undefined> {
  const [out, err] = await Promise.all([readIfThere(paths.stdout), readIfThere(paths.stderr)]);
  if (out === undefined && err === undefined) return undefined;
  return prefixLines(out ?? '', '') + prefixLines(err ?? '', ERR_PREFIX);
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
