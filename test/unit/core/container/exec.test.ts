import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { execCapture, loginShellArgv, streamExec } from '../../../../src/core/container/exec.js';
import { ContainerOpError } from '../../../../src/core/container/lifecycle.js';
import { IncusNotFoundError, IncusUnavailableError } from '../../../../src/incus/errors.js';
import type { ExecProcess } from '../../../../src/incus/exec.js';
import type { Incus } from '../../../../src/incus/index.js';

describe('exec on a container that cannot be read', () => {
  const incusWhoseGetFails = (err: Error) =>
    ({
      instances: { get: () => Promise.reject(err) },
      exec: { run: () => Promise.reject(new Error('ran without a container')) },
    }) as unknown as Incus;

  it('says the container does not exist only when Incus says so', async () => {
    await expect(
      execCapture(incusWhoseGetFails(new IncusNotFoundError('not found', 404)), 'box', ['true']),
    ).rejects.toThrow(new ContainerOpError('container "box" does not exist'));
    const down = new IncusUnavailableError('/var/lib/incus/unix.socket', 'ECONNREFUSED');
    await expect(execCapture(incusWhoseGetFails(down), 'box', ['true'])).rejects.toBe(down);
  });
});

describe('the argv of a command line', () => {
  it('runs one word as a shell command line, several as the exact argv', () => {
    expect(loginShellArgv(['echo hi | cat'])).toEqual(['bash', '-lc', 'echo hi | cat']);
    expect(loginShellArgv(['sh', '-c', 'exit 42'])).toEqual([
      'bash',
      '-lc',
      'exec "$@"',
      'bash',
      'sh',
      '-c',
      'exit 42',
    ]);
  });
});

/** A started command that prints `output` and exits with `code` once its stdin has ended. */
function fakeProcess(code: number, output = '', seen: string[] = []): ExecProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let input = '';
  stdin.on('data', (d: Buffer) => (input += d.toString()));
  const exited = new Promise<number>((resolve) =>
    stdin.on('end', () => {
      seen.push(input);
      stdout.end(output);
      stderr.end();
      resolve(code);
    }),
  );
  return { stdout, stderr, stdin, wait: () => exited } as unknown as ExecProcess;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('streaming a command', () => {
  it('passes input and output through and resolves with the exit code', async () => {
    const out = sink();
    const seen: string[] = [];
    const stdin = Readable.from(['line 1\n', 'line 2\n']);
    const code = await streamExec('box', async () => fakeProcess(42, 'done\n', seen), {
      stdout: out.stream,
      stderr: sink().stream,
      stdin,
    });
    expect(code).toBe(42);
    expect(out.text()).toBe('done\n');
    expect(seen).toEqual(['line 1\nline 2\n']);
    expect(stdin.destroyed).toBe(true);
  });

  it('starts again a command the daemon could not attach (-1), up to three times', async () => {
    const codes = [-1, -1, 0];
    let starts = 0;
    const io = { stdout: sink().stream, stderr: sink().stream };
    expect(await streamExec('box', async () => fakeProcess(codes[starts++]!), io)).toBe(0);
    expect(starts).toBe(3);
    starts = 0;
    await expect(streamExec('box', async () => (starts++, fakeProcess(-1)), io)).rejects.toThrow(
      new ContainerOpError('the command could not be started in box; try again'),
    );
    expect(starts).toBe(3);
  });

  it('does not start again a command that consumed input: it would not see it twice', async () => {
    let starts = 0;
    const io = { stdout: sink().stream, stderr: sink().stream, stdin: Readable.from(['x']) };
    await expect(streamExec('box', async () => (starts++, fakeProcess(-1)), io)).rejects.toThrow(
      /could not be started/,
    );
    expect(starts).toBe(1);
  });
});
