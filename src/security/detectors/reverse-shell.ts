import { TITLES, type AlertLevel } from '../alert.js';
import { isIpv4, isLoopbackV4 } from '../../shared/ipv4.js';
import { INTERPRETER, INTERPRETER_NAME, SHELLS, type CommandMatch } from './command-patterns.js';
import { basename, type SimpleCommand } from './command-words.js';

/**
 * Reverse shells on a command line: programs that run a shell for a connection by their own
 * arguments (nc -e, socat exec:), a shell wired to a network tool, bash's /dev/tcp, and
 * interpreter one-liners that open a connection.
 */

/** `[monitoring] reverse_shell_one_liners`: interpreter one-liners that open a connection. */
export type OneLinerLevel = 'critical' | 'warn' | 'off';

const NC = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd']);
const NET_TOOLS = new Set([...NC, 'socat', 'telnet', 'openssl']);
/** APIs that open a network connection, per interpreter family. */
const CONNECT_API =
  /socket\.socket|create_connection|\.connect\(|fsockopen|IO::Socket|sockaddr_in|\bsocket\s*\(|TCPSocket|UDPSocket|Socket\.new|net\.(connect|Socket|createConnection)|require\(.net.\)|-rsocket|-MIO\b|-MSocket\b/g;
/** Code that hands a process to someone: with a connection API this is a shell. */
const SHELL_API =
  /dup2|pty\.spawn|subprocess|os\.system|os\.popen|\/bin\/(ba)?sh|cmd\.exe|\bexec\s*[("]|\bsystem\s*\(|spawn\s*\(|child_process|proc_open|shell_exec|passthru|popen|open\s*\(\s*STDIN|STDIN\.reopen|execSync/g;
const DEV_NET = /\/dev\/(tcp|udp)\/([^/\s]+)\/(\d+)/g;
/** Standard input taken from a descriptor (`0>&1`, `<&5`) or all output sent to the socket. */
const STDIO_DUP = /(^|[\s;])(0?<&|0>&)|[>&]&?\s*\/dev\/(tcp|udp)\//;

function reverseShell(
  level: AlertLevel,
  pattern: string,
  what: string,
  indicators: string[],
): CommandMatch {
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

/**
 * The network tools a pattern database adds (GTFOBins' programs with a reverse- or bind-shell
 * function): not the shells and interpreters in it, whose reverse shells the rules above and
 * below find by what they run, and which would otherwise make every `bash -i … python` one.
 */
export function extraNetTools(programs: readonly string[]): ReadonlySet<string> {
  return new Set(programs.filter((p) => !SHELLS.has(p) && !INTERPRETER_NAME.test(p)));
}

export function reverseShells(
  line: string,
  commands: SimpleCommand[],
  oneLiners: OneLinerLevel,
  netTools: ReadonlySet<string> = new Set(),
): CommandMatch[] {
  const found: CommandMatch[] = [];
  for (const cmd of commands)
    for (const rule of PROGRAM_RULES) {
      const indicators = rule.programs.has(cmd.program) ? rule.match(cmd.args) : undefined;
      if (indicators)
        found.push(reverseShell('critical', rule.pattern, rule.what, [cmd.program, ...indicators]));
    }
  const interactive = commands.some(
    (c) => SHELLS.has(c.program) && c.args.some((a) => /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a)),
  );
  found.push(...wiredShells(commands, interactive, netTools));
  found.push(...devTcp(line, interactive));
  const oneLiner = interpreterOneLiner(line, oneLiners);
  if (oneLiner) found.push(oneLiner);
  return found;
}

/** A shell joined to a network tool: `sh -i … | nc host port`, or `nc host port | sh`. */
function wiredShells(
  commands: SimpleCommand[],
  interactive: boolean,
  netTools: ReadonlySet<string>,
): CommandMatch[] {
  // A built-in tool keeps its own test (openssl only as s_client/s_server).
  const isNetTool = (cmd: SimpleCommand) =>
    NET_TOOLS.has(cmd.program) ? isBuiltInNetTool(cmd) : netTools.has(cmd.program);
  const found: CommandMatch[] = [];
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
function devTcp(line: string, interactive: boolean): CommandMatch[] {
  const found: CommandMatch[] = [];
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
function interpreterOneLiner(line: string, oneLiners: OneLinerLevel): CommandMatch | undefined {
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
  if (oneLiners === 'off' || onlyLoopback(code)) return undefined;
  const level = oneLiners === 'critical' ? 'critical' : 'warning';
  return reverseShell(
    level,
    `${name}-socket`,
    `${interpreter} one-liner opens a network connection`,
    connects,
  );
}

function isBuiltInNetTool(cmd: SimpleCommand): boolean {
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
