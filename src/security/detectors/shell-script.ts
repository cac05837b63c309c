import { SHELLS } from './command-patterns.js';
import { basename } from './command-words.js';

/**
 * The script of `<shell> -c '<script>' …` from a process's argv. /proc gives argv without the
 * quotes, so the joined command line reads `sh -c grep -r KEY /` with `sh` as its program; the
 * script has to be classified on its own to be seen as the commands it runs.
 */
export function shellScript(argv: readonly string[]): string | undefined {
  const program = basename(argv[0] ?? '');
  // `busybox sh -c …`: the multi-call binary runs the program named next.
  if (program === 'busybox') return shellScript(argv.slice(1));
  if (!SHELLS.has(program)) return undefined;
  const flag = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
  return flag > 0 ? argv[flag + 1] : undefined;
}
