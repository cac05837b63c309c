/**
 * A deliberately loose split of a command line into simple commands. Quotes count as blanks, so
 * the script inside `sh -c '…'` is split like the outer line: detection must see through wrappers,
 * not parse shell exactly.
 */

export interface SimpleCommand {
  /** Basename of the program after wrappers (`sudo`, `env VAR=x`, `exec`, …), lower-case. */
  program: string;
  /** Words after the program. */
  args: string[];
  /** The separator before this command: `|`, `;`, `&&`, `||`, `&`, `(` … or '' for the first. */
  after: string;
}

const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(', ')', '$(', '\n', '`']);
const WRAPPERS = new Set([
  'sudo',
  'exec',
  'nohup',
  'setsid',
  'command',
  'time',
  'nice',
  'env',
  'busybox',
  'doas',
  'stdbuf',
  'timeout',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** NUL-separated /proc/<pid>/cmdline as one line. */
export function commandFromCmdline(raw: string): string {
  return raw.replace(/\0+$/, '').replaceAll('\0', ' ');
}

export function splitCommands(line: string): SimpleCommand[] {
  const tokens =
    line.replace(/['"]/g, ' ').match(/\$\(|\|\||&&|[;|()`\n]|&(?![>&\d])|[^\s;|()`]+/g) ?? [];
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let after = '';
  const flush = (next: string) => {
    const command = toCommand(words, after);
    if (command) commands.push(command);
    words = [];
    after = next;
  };
  for (const token of tokens) {
    if (SEPARATORS.has(token)) flush(token);
    else words.push(token);
  }
  flush('');
  return commands;
}

function toCommand(words: string[], after: string): SimpleCommand | undefined {
  let i = 0;
  let wrapper: number | undefined;
  while (i < words.length) {
    const word = words[i]!;
    const optionOfWrapper = wrapper !== undefined && /^(-|\d+[smhd]?$)/.test(word);
    if (ASSIGNMENT.test(word) || optionOfWrapper) i += 1;
    else if (WRAPPERS.has(basename(word))) wrapper = i++;
    else break;
  }
  // A wrapper with nothing to run (`env`, `env -0`) is itself the program.
  const at = i < words.length ? i : wrapper;
  if (at === undefined) return undefined;
  return { program: basename(words[at]!).toLowerCase(), args: words.slice(at + 1), after };
}

export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
