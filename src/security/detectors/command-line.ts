import { TITLES, levelRank, type Alert, type AlertCategory, type AlertLevel } from '../alert.js';
import { isIpv4, isLoopbackV4 } from '../../shared/ipv4.js';
import { basename, splitCommands, type SimpleCommand } from './command-words.js';

/**
 * Command-line patterns for reverse shells, environment scanning and credential searches. Words are
 * matched whole (a `token` inside `tokenize` is not a token), and most patterns need two signals
 * (a socket and a shell, a dump and a secret filter) so everyday developer commands stay quiet.
 */

export interface CommandLineOptions {
  /** `[monitoring] reverse_shell_one_liners`: interpreter one-liners that open a connection. */
  oneLiners: 'critical' | 'warn' | 'off';
}

export interface ProcessSample {
  pid?: number;
  /** The command line, argv joined by spaces (see `commandFromCmdline`). */
  command: string;
}

interface Match {
  level: AlertLevel;
  category: AlertCategory;
  title: string;
  pattern: string;
  what: string;
  indicators: string[];
}

const NC = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd']);
const NET_TOOLS = new Set([...NC, 'socat', 'telnet', 'openssl']);
const SHELLS = new Set(
  'sh bash zsh ksh dash ash fish csh tcsh mksh oksh lksh posh yash rbash'.split(' '),
);
const GREPS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'awk', 'sed', 'findstr']);
const RECURSIVE_GREPS = new Set(['rg', 'ag', 'ack']);
const GREPS_WITH_R = new Set(['grep', 'egrep', 'fgrep']);
const INTERPRETER =
  /(?:^|[\s;|&(/])(python[\d.]*|perl|ruby|php|node|nodejs|bun|lua[\d.]*)((?:\s+-[-\w:]+)*?)\s+(-c|-e|-E|-r|--eval)\s+(.*)$/s;
/** APIs that open a network connection, per interpreter family. */
const CONNECT_API =
  /socket\.socket|create_connection|\.connect\(|fsockopen|IO::Socket|sockaddr_in|\bsocket\s*\(|TCPSocket|UDPSocket|Socket\.new|net\.(connect|Socket|createConnection)|require\(.net.\)|-rsocket|-MIO\b|-MSocket\b/g;
/** Code that hands a process to someone: with a connection API this is a shell. */
const SHELL_API =
  /dup2|pty\.spawn|subprocess|os\.system|os\.popen|\/bin\/(ba)?sh|cmd\.exe|\bexec\s*[("]|\bsystem\s*\(|spawn\s*\(|child_process|proc_open|shell_exec|passthru|popen|open\s*\(\s*STDIN|STDIN\.reopen|execSync/g;
const SECRET_WORD =
  /(?<![A-Za-z0-9])(api[_-]?key|apikey|secret(?:[_-]?key)?|(?:access|auth|api)?[_-]?token|passw(?:or)?d|credentials?|private[_-]?key)(?![A-Za-z0-9])/i;
/** What someone filtering an environment dump for secrets types (substring is enough there). */
const ENV_SECRET_FILTER = /key|token|secret|pass|pwd|credential|auth|api/i;
const CLOUD_KEY =
  /aws_access_key_id|aws_secret_access_key|aws_session_token|BEGIN (?:[A-Z]+ )?PRIVATE KEY/i;
const KEY_FILE =
  /(?<![\w.-])(id_(?:rsa|dsa|ecdsa|ed25519)|\.git-credentials|\.netrc|\.pgpass|credentials(?:\.json)?|\.aws)(?![\w-])/;
const PROC_ENVIRON = /\/proc\/[^/\s]+\/environ\b/;
const DEV_NET = /\/dev\/(tcp|udp)\/([^/\s]+)\/(\d+)/g;
/** Standard input taken from a descriptor (`0>&1`, `<&5`) or all output sent to the socket. */
const STDIO_DUP = /(^|[\s;])(0?<&|0>&)|[>&]&?\s*\/dev\/(tcp|udp)\//;
const ENV_DUMP_CODE =
  /os\.environ(?!\s*(\[|\.get|\.setdefault|\.pop))|process\.env(?!\s*[.[])|%ENV\b|ENV\.to_h/;

export function classifyCommandLine(
  sample: ProcessSample,
  options: CommandLineOptions,
): Alert | undefined {
  const line = sample.command;
  const commands = splitCommands(line);
  const matches = [
    ...reverseShells(line, commands, options),
    ...credentialSearches(commands),
    ...environmentScans(line, commands),
  ];
  const best = matches.reduce<Match | undefined>(
    (top, m) => (!top || levelRank(m.level) > levelRank(top.level) ? m : top),
    undefined,
  );
  if (!best) return undefined;
  const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return {
    level: best.level,
    category: best.category,
    title: best.title,
    description: `${best.what}: ${shown}`,
    evidence: {
      process: {
        pid: sample.pid,
        command: line.length > 1000 ? line.slice(0, 1000) : line,
        pattern: best.pattern,
        indicators: best.indicators,
      },
    },
  };
}

function reverseShell(
  level: AlertLevel,
  pattern: string,
  what: string,
  indicators: string[],
): Match {
  return { level, category: 'process', title: TITLES.reverseShell, pattern, what, indicators };
}

/** Programs that are a reverse shell by their own arguments. */
const PROGRAM_RULES: Array<{
  programs: ReadonlySet<string>;
  pattern: string;
  what: string;
  /** The indicating arguments, or undefined when the rule does not match. */
  match(args: string[]): string[] | undefined;
}> = [
  {
    programs: NC,
    pattern: 'nc-exec',
    what: 'netcat runs a program for the connection',
    match: (args) => some(args.find((a) => /^-[a-zA-Z]*[ec][a-zA-Z]*$|^--(sh-|lua-)?exec/.test(a))),
  },
  {
    programs: new Set(['socat']),
    pattern: 'socat-exec',
    what: 'socat connects a program to the network',
    match: (args) => {
      const exec = args.find((a) => /^(exec|system):/i.test(a));
      const net = args.find((a) => /^(tcp|udp|sctp|openssl|ssl)[\w-]*:/i.test(a));
      return exec && net ? [exec, net] : undefined;
    },
  },
  {
    programs: new Set(['powershell', 'pwsh', 'powershell.exe']),
    pattern: 'powershell-socket',
    what: 'PowerShell opens a raw socket',
    match: (args) => some(args.find((a) => /System\.Net\.Sockets|TCPClient/i.test(a))),
  },
  {
    programs: new Set(['awk', 'gawk']),
    pattern: 'awk-inet',
    what: 'awk opens a network connection',
    match: (args) => some(args.find((a) => /\/inet\/(tcp|udp)\//.test(a))),
  },
];

function some(found: string | undefined): string[] | undefined {
  return found === undefined ? undefined : [found];
}

function reverseShells(
  line: string,
  commands: SimpleCommand[],
  options: CommandLineOptions,
): Match[] {
  const found: Match[] = [];
  for (const cmd of commands)
    for (const rule of PROGRAM_RULES) {
      const indicators = rule.programs.has(cmd.program) ? rule.match(cmd.args) : undefined;
      if (indicators)
        found.push(reverseShell('critical', rule.pattern, rule.what, [cmd.program, ...indicators]));
    }
  const interactive = commands.some(
    (c) => SHELLS.has(c.program) && c.args.some((a) => /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a)),
  );
  found.push(...wiredShells(commands, interactive));
  found.push(...devTcp(line, interactive));
  const oneLiner = interpreterOneLiner(line, options);
  if (oneLiner) found.push(oneLiner);
  return found;
}

/** A shell joined to a network tool: `sh -i … | nc host port`, or `nc host port | sh`. */
function wiredShells(commands: SimpleCommand[], interactive: boolean): Match[] {
  const found: Match[] = [];
  const netTool = commands.find(isNetTool);
  if (interactive && netTool)
    found.push(
      reverseShell(
        'critical',
        'shell-net-tool',
        `an interactive shell wired to ${netTool.program}`,
        ['-i', netTool.program],
      ),
    );
  commands.forEach((cmd, i) => {
    const prev = commands[i - 1];
    if (cmd.after === '|' && prev && isNetTool(prev) && SHELLS.has(cmd.program))
      found.push(
        reverseShell(
          'critical',
          'net-tool-to-shell',
          `${prev.program} output is run by ${cmd.program}`,
          [prev.program, cmd.program],
        ),
      );
  });
  return found;
}

/** Bash's /dev/tcp: critical when a shell's standard input comes from it, else a warning. */
function devTcp(line: string, interactive: boolean): Match[] {
  const found: Match[] = [];
  for (const [, proto, host = '', port] of line.matchAll(DEV_NET)) {
    if (isLoopbackHost(host)) continue;
    const target = `/dev/${proto}/${host}/${port}`;
    if (interactive || STDIO_DUP.test(line))
      found.push(
        reverseShell('critical', 'dev-tcp-shell', 'a shell redirected to a network socket', [
          target,
        ]),
      );
    else
      found.push(
        reverseShell('warning', 'dev-tcp', 'a shell opens a raw network socket', [target]),
      );
  }
  return found;
}

/** `python -c`, `perl -e`, `ruby -e`, `php -r`, `node -e` … code that opens a connection. */
function interpreterOneLiner(line: string, options: CommandLineOptions): Match | undefined {
  const oneLiner = INTERPRETER.exec(line);
  if (!oneLiner) return undefined;
  const [, interpreter = '', flags = '', , code = ''] = oneLiner;
  const name = basename(interpreter);
  const text = `${flags} ${code}`;
  const connects = [...new Set([...text.matchAll(CONNECT_API)].map((m) => m[0]))];
  const shells = [...new Set([...text.matchAll(SHELL_API)].map((m) => m[0]))];
  if (connects.length === 0) return undefined;
  if (shells.length > 0)
    return reverseShell(
      'critical',
      `${name}-socket-shell`,
      `${interpreter} one-liner hands a shell to a socket`,
      [...connects, ...shells],
    );
  if (options.oneLiners === 'off' || onlyLoopback(code)) return undefined;
  const level = options.oneLiners === 'critical' ? 'critical' : 'warning';
  return reverseShell(
    level,
    `${name}-socket`,
    `${interpreter} one-liner opens a network connection`,
    connects,
  );
}

function environmentScans(line: string, commands: SimpleCommand[]): Match[] {
  const scan = (level: AlertLevel, pattern: string, what: string, indicators: string[]): Match => ({
    level,
    category: 'environment',
    title: TITLES.envScan,
    pattern,
    what,
    indicators,
  });
  const found: Match[] = [];
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

function credentialSearches(commands: SimpleCommand[]): Match[] {
  const found: Match[] = [];
  const match = (pattern: string, what: string, indicators: string[]): Match => ({
    level: 'warning',
    category: 'credential_access',
    title: TITLES.credentialSearch,
    pattern,
    what,
    indicators,
  });
  for (const cmd of commands) {
    if (cmd.program === 'find') {
      const named = cmd.args.findIndex((a) => /^-i?(name|path|wholename|regex)$/.test(a));
      const value = named >= 0 ? cmd.args[named + 1] : undefined;
      if (value && KEY_FILE.test(value))
        found.push(match('find-keys', 'key or credential files searched', ['find', value]));
    }
    const key = recursiveGrepFor(cmd, CLOUD_KEY) ?? grepFor(cmd, CLOUD_KEY);
    if (key)
      found.push(
        match('grep-keys', 'files searched for cloud keys or private keys', [cmd.program, key]),
      );
  }
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

/** A grep that searches directory trees (`-r`, `-R`, rg/ag/ack, `git grep`) for `pattern`. */
function recursiveGrepFor(cmd: SimpleCommand, pattern: RegExp): string | undefined {
  const gitGrep = cmd.program === 'git' && cmd.args[0] === 'grep';
  const recursive =
    RECURSIVE_GREPS.has(cmd.program) ||
    gitGrep ||
    (GREPS_WITH_R.has(cmd.program) &&
      cmd.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive'));
  return recursive ? grepFor({ ...cmd, program: 'grep' }, pattern) : undefined;
}

function grepFor(cmd: SimpleCommand, pattern: RegExp): string | undefined {
  if (!GREPS.has(cmd.program)) return undefined;
  return pattern.exec(cmd.args.join(' '))?.[0];
}

function isNetTool(cmd: SimpleCommand): boolean {
  if (cmd.program === 'openssl') return cmd.args.some((a) => a === 's_client' || a === 's_server');
  return NET_TOOLS.has(cmd.program);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIpv4(host) && isLoopbackV4(host));
}

/** The code names addresses, and all of them are loopback (a local readiness check). */
function onlyLoopback(code: string): boolean {
  const hosts = [...code.matchAll(/(?<![\w.])(localhost|\d{1,3}(?:\.\d{1,3}){3})(?![\w.])/g)].map(
    (m) => m[1]!,
  );
  return hosts.length > 0 && hosts.every(isLoopbackHost);
}
