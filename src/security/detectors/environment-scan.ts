import { TITLES, type AlertLevel } from '../alert.js';
import { GREPS, INTERPRETER, recursiveGrepFor, type CommandMatch } from './command-patterns.js';
import type { SimpleCommand } from './command-words.js';

/**
 * Environment scanning on a command line: an environment dump (info, or a warning when filtered
 * for secrets), a secret variable printed, files searched for secret names, another process's
 * /proc environ read, a one-liner that dumps its environment.
 */

const SECRET_WORD =
  /(?<![A-Za-z0-9])(api[_-]?key|apikey|secret(?:[_-]?key)?|(?:access|auth|api)?[_-]?token|passw(?:or)?d|credentials?|private[_-]?key)(?![A-Za-z0-9])/i;
/** What someone filtering an environment dump for secrets types (substring is enough there). */
const ENV_SECRET_FILTER = /key|token|secret|pass|pwd|credential|auth|api/i;
const PROC_ENVIRON = /\/proc\/[^/\s]+\/environ\b/;
const ENV_DUMP_CODE =
  /os\.environ(?!\s*(\[|\.get|\.setdefault|\.pop))|process\.env(?!\s*[.[])|%ENV\b|ENV\.to_h/;

function scan(
  level: AlertLevel,
  pattern: string,
  what: string,
  indicators: string[],
): CommandMatch {
  return { level, category: 'environment', title: TITLES.envScan, pattern, what, indicators };
}

export function environmentScans(line: string, commands: SimpleCommand[]): CommandMatch[] {
  const found: CommandMatch[] = [];
  commands.forEach((cmd, i) => {
    const dump = isEnvDump(cmd);
    const next = commands[i + 1];
    if (dump && next?.after === '|' && GREPS.has(next.program)) {
      const secret = next.args.map((a) => ENV_SECRET_FILTER.exec(a)?.[0]).find(Boolean);
      if (secret)
        found.push(
          scan('warning', 'env-grep', 'environment filtered for secrets', [cmd.program, secret]),
        );
    } else if (dump) found.push(scan('info', 'env-dump', 'environment listed', [cmd.program]));
    if (cmd.program === 'printenv') {
      const secret = cmd.args.find((a) => SECRET_WORD.test(a));
      if (secret)
        found.push(scan('warning', 'printenv-secret', 'a secret variable printed', [secret]));
    }
    const secret = recursiveGrepFor(cmd, SECRET_WORD);
    if (secret)
      found.push(
        scan('warning', 'secret-grep', 'files searched for secrets', [cmd.program, secret]),
      );
  });
  const environ = PROC_ENVIRON.exec(line);
  if (environ)
    found.push(scan('warning', 'proc-environ', "another process's environment read", [environ[0]]));
  const code = INTERPRETER.exec(line)?.[4];
  const dumped = code && ENV_DUMP_CODE.exec(code);
  if (dumped)
    found.push(scan('warning', 'code-env-dump', 'a one-liner dumps the environment', [dumped[0]]));
  return found;
}

/** `env`, `printenv`, `export -p`, `set`, `declare -x` with nothing to run. */
function isEnvDump(cmd: SimpleCommand): boolean {
  const rest = cmd.args.filter((a) => !a.startsWith('-'));
  if (cmd.program === 'env' || cmd.program === 'printenv') return rest.length === 0;
  if (cmd.program === 'export' || cmd.program === 'declare')
    return cmd.args.length > 0 && rest.length === 0;
  return cmd.program === 'set' && cmd.args.length === 0;
}
