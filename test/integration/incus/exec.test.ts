import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExecApi, type InteractiveExec } from '../../../src/incus/exec.js';
import { incus, launchTestContainer } from '../../helpers/testbed.js';

const exec = new ExecApi(incus());
let name: string;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  name = await launchTestContainer('exec');
  // Boot settles first: systemd-tmpfiles and friends must not race the tests.
  await exec.run(name, ['systemctl', 'is-system-running', '--wait']);
});

describe('exit codes', () => {
  it('returns 0 and 7 from normal exits', async () => {
    expect((await exec.run(name, ['true'])).exitCode).toBe(0);
    expect((await exec.run(name, ['sh', '-c', 'exit 7'])).exitCode).toBe(7);
  });

  it('returns 127 for a command that does not exist (a failed operation)', async () => {
    expect((await exec.run(name, ['no-such-command-coi'])).exitCode).toBe(127);
  });

  it('returns 143 when the command dies of a SIGTERM sent over control', async () => {
    const proc = await exec.start(name, ['sleep', '100']);
    proc.stdin.end();
    proc.stdout.resume();
    proc.stderr.resume();
    await sleep(200);
    await proc.signal(15);
    expect(await proc.wait()).toBe(143);
  });
});

describe('streams', () => {
  it('keeps stdout and stderr apart', async () => {
    const r = await exec.run(name, ['sh', '-c', 'echo out; echo err >&2; echo out2']);
    expect(r.stdout.toString()).toBe('out\nout2\n');
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('loses no stream of a quick command on a busy host, 4 at a time', async () => {
    // Seen before: the stream attached last (stderr then) came back empty, about 1 run in 25
    // with three busy loops beside; stdin is attached last now.
    const busy = Array.from({ length: 3 }, () =>
      spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }),
    );
    try {
      const quick = async () => {
        const r = await exec.run(name, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
        return `${r.stdout.toString()}|${r.stderr.toString()}|${r.exitCode}`;
      };
      const fed = async () => {
        const r = await exec.run(name, ['sh', '-c', 'cat; echo err >&2; exit 3'], {
          stdin: 'out\n',
        });
        return `${r.stdout.toString()}|${r.stderr.toString()}|${r.exitCode}`;
      };
      const results: string[] = [];
      for (let round = 0; round < 75; round++)
        results.push(...(await Promise.all([quick(), quick(), quick(), fed()])));
      expect(results.filter((r) => r !== 'out\n|err\n|3')).toEqual([]);
    } finally {
      for (const child of busy) child.kill('SIGKILL');
    }
  }, 120_000);

  it('delivers 10 MB of output byte-exact', async () => {
    const made = await exec.run(name, [
      'sh',
      '-c',
      'head -c 10485760 /dev/urandom > /root/big && sha256sum /root/big',
    ]);
    expect(made.exitCode).toBe(0);
    const expected = made.stdout.toString().split(' ')[0];
    const r = await exec.run(name, ['cat', '/root/big']);
    expect(r.stdout.length).toBe(10 * 1024 * 1024);
    expect(sha256(r.stdout)).toBe(expected);
  });

  it('applies backpressure: an unread stdout stops buffering instead of growing', async () => {
    const proc = await exec.start(name, ['head', '-c', '10485760', '/dev/zero']);
    proc.stdin.end();
    proc.stderr.resume();
    await sleep(1000);
    expect(proc.stdout.readableLength).toBeLessThan(3 * 1024 * 1024);
    let total = 0;
    for await (const chunk of proc.stdout) total += (chunk as Buffer).length;
    expect(total).toBe(10 * 1024 * 1024);
    expect(await proc.wait()).toBe(0);
  });

  it('round-trips stdin from a buffer and from a stream, then sends EOF', async () => {
    const data = randomBytes(1024 * 1024);
    const fromBuffer = await exec.run(name, ['cat'], { stdin: data });
    expect(fromBuffer.stdout.equals(data)).toBe(true);
    const fromStream = await exec.run(name, ['sha256sum'], {
      stdin: Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
    });
    expect(fromStream.stdout.toString().split(' ')[0]).toBe(sha256(data));
  });

  it('gives EOF at once when no stdin is given', async () => {
    const r = await exec.run(name, ['sh', '-c', 'read x; echo "got:$x:$?"']);
    expect(r.stdout.toString()).toBe('got::1\n');
  });
});

describe('identity and environment', () => {
  it('runs as uid 1000 with the login variables, cwd and caller environment', async () => {
    const r = await exec.run(
      name,
      ['sh', '-c', 'echo "$(id -u):$(id -g) $HOME $USER $LOGNAME $SHELL $(pwd) $FOO"'],
      { user: 1000, group: 1000, cwd: '/tmp', environment: { FOO: 'bar baz' } },
    );
    expect(r.stdout.toString()).toBe('1000:1000 /home/code code code /bin/bash /tmp bar baz\n');
  });

  it('takes the account from the caller and lets the environment win', async () => {
    const r = await exec.run(name, ['sh', '-c', 'echo "$HOME $USER $SHELL"'], {
      user: 1000,
      account: { name: 'agent', home: '/opt', shell: '/bin/sh' },
      environment: { HOME: '/srv' },
    });
    expect(r.stdout.toString()).toBe('/srv agent /bin/sh\n');
  });

  it('keeps root defaults for uid 0', async () => {
    const r = await exec.run(name, ['sh', '-c', 'echo "$(id -u) $HOME $(pwd)"']);
    expect(r.stdout.toString()).toBe('0 /root /root\n');
  });
});

describe('interactive', () => {
  async function until(
    session: InteractiveExec,
    seen: () => string,
    text: string,
    poke?: () => void,
  ) {
    for (let i = 0; i < 50 && !seen().includes(text); i++) {
      poke?.();
      await sleep(100);
    }
    expect(seen()).toContain(text);
  }

  it('starts at the requested size and follows a resize, then exits', async () => {
    const session = await exec.interactive(
      name,
      ['sh', '-c', 'stty size; while read line; do stty size; done; exit 3'],
      { width: 100, height: 30 },
    );
    let out = '';
    session.output.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(session, () => out, '30 100');
    await session.resize(132, 43);
    await until(
      session,
      () => out,
      '43 132',
      () => session.input.write('\r'),
    );
    session.input.write('\x04');
    expect(await session.wait()).toBe(3);
    expect(out).toContain('\r\n');
  });

  it('sets TERM and forwards signals', async () => {
    const session = await exec.interactive(name, ['sh', '-c', 'echo "term=$TERM"; sleep 100'], {
      width: 80,
      height: 24,
    });
    let out = '';
    session.output.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(session, () => out, 'term=xterm-256color');
    await session.signal(15);
    expect(await session.wait()).toBe(143);
  });
});
