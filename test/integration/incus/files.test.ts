import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
  chmod,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncusError, IncusNotFoundError } from '../../../src/incus/errors.js';
import { ExecApi } from '../../../src/incus/exec.js';
import { FileTreeApi } from '../../../src/incus/file-tree.js';
import { FilesApi } from '../../../src/incus/files.js';
import { incus, launchTestContainer } from '../../helpers/testbed.js';

const files = new FilesApi(incus());
const exec = new ExecApi(incus());
const trees = new FileTreeApi(incus());
let name: string;
let host: string;

async function sh(script: string): Promise<string> {
  const r = await exec.run(name, ['sh', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`${script} failed (${r.exitCode}): ${r.stderr.toString()}`);
  return r.stdout.toString();
}

beforeAll(async () => {
  host = await mkdtemp(join(tmpdir(), 'coi-files-test-'));
  name = await launchTestContainer('files');
  // /tmp is wiped by systemd-tmpfiles at boot; everything here lives under /root and /opt anyway.
  await exec.run(name, ['systemctl', 'is-system-running', '--wait']);
});

afterAll(async () => {
  await rm(host, { recursive: true, force: true });
});

describe('single files', () => {
  it('pushes and pulls with mode, uid and gid', async () => {
    await files.push(name, '/root/a.txt', 'hello\n', { mode: 0o640, uid: 1000, gid: 1000 });
    expect(await files.stat(name, '/root/a.txt')).toMatchObject({
      type: 'file',
      uid: 1000,
      gid: 1000,
      mode: 0o640,
    });
    expect(await sh('stat -c "%a %u %g" /root/a.txt')).toBe('640 1000 1000\n');
    expect((await files.pull(name, '/root/a.txt')).toString()).toBe('hello\n');
  });

  it('writes the content it was given (the form-encoding empty-file trap), and empty files', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    await files.push(name, '/root/big.bin', data);
    expect((await files.pull(name, '/root/big.bin')).equals(data)).toBe(true);
    expect(await sh('wc -c < /root/big.bin')).toBe(`${data.length}\n`);
    await files.push(name, '/root/empty', Buffer.alloc(0));
    expect(await sh('wc -c < /root/empty')).toBe('0\n');
  });

  it('pushes from a stream and appends', async () => {
    await files.push(name, '/root/s.txt', Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
    await files.push(name, '/root/s.txt', 'ef', { append: true });
    expect((await files.pull(name, '/root/s.txt')).toString()).toBe('abcdef');
  });

  it('refuses a missing parent unless asked to create it (mkdir -p)', async () => {
    await expect(files.push(name, '/opt/p/q/r.txt', 'x')).rejects.toBeInstanceOf(
      IncusNotFoundError,
    );
    await files.push(name, '/opt/p/q/r.txt', 'x', { createParents: true, uid: 1000, gid: 1000 });
    expect(await files.stat(name, '/opt/p/q')).toMatchObject({ type: 'directory', uid: 1000 });
    expect((await files.pull(name, '/opt/p/q/r.txt')).toString()).toBe('x');
  });

  it('mkdirp stops at a file in the way', async () => {
    await expect(files.mkdirp(name, '/root/a.txt/sub')).rejects.toThrow(/\/root\/a.txt is a file/);
  });

  it('creates symlinks, stats without following, lists, deletes', async () => {
    await files.symlink(name, '/root/link', 'a.txt');
    expect((await files.stat(name, '/root/link'))?.type).toBe('symlink');
    expect(await sh('readlink /root/link')).toBe('a.txt\n');
    expect(await files.list(name, '/root')).toEqual(expect.arrayContaining(['a.txt', 'link']));
    await files.remove(name, '/root/link');
    expect(await files.stat(name, '/root/link')).toBeUndefined();
    await expect(files.pull(name, '/root')).rejects.toThrow(/is a directory/);
  });

  it('stops reading past maxBytes', async () => {
    await expect(files.pull(name, '/root/big.bin', { maxBytes: 1024 })).rejects.toBeInstanceOf(
      IncusError,
    );
  });
});

describe('trees', () => {
  it('round-trips a tree; never recreates outside symlinks, fifos or setuid bits on the host', async () => {
    const src = join(host, 'src');
    await mkdir(join(src, 'sub', 'deep'), { recursive: true });
    await writeFile(join(src, 'top.txt'), 'top');
    await writeFile(join(src, 'sub', 'deep', 'data.bin'), randomBytes(100_000));
    await writeFile(join(src, 'run.sh'), '#!/bin/sh\n');
    await chmod(join(src, 'run.sh'), 0o755);
    await writeFile(join(src, 'empty'), '');
    await symlink('sub/deep/data.bin', join(src, 'inside'));

    const pushed = await trees.push(name, src, '/opt/tree', { uid: 1000, gid: 1000 });
    expect(pushed).toMatchObject({ files: 4, directories: 3, symlinks: 1, warnings: [] });
    expect(await sh('stat -c "%a %u" /opt/tree/run.sh; readlink /opt/tree/inside')).toBe(
      '755 1000\nsub/deep/data.bin\n',
    );

    // What a hostile agent could leave behind.
    await sh(
      'ln -s /etc/passwd /opt/tree/escape && ln -s ../../../etc /opt/tree/sub/up && ' +
        'ln -s /opt/tree/top.txt /opt/tree/sub/abs && mkfifo /opt/tree/fifo && ' +
        'cp /opt/tree/run.sh /opt/tree/suid && chmod 4755 /opt/tree/suid',
    );

    const dest = join(host, 'dest');
    const pulled = await trees.pull(name, '/opt/tree', dest);
    expect(pulled.files).toBe(5);
    expect(pulled.symlinks).toBe(2);
    expect(pulled.warnings.join('\n')).toMatch(
      /\/opt\/tree\/escape: symlink to \/etc\/passwd not recreated/,
    );
    expect(pulled.warnings.join('\n')).toMatch(/\/opt\/tree\/sub\/up: symlink/);
    expect(pulled.warnings.join('\n')).toMatch(/\/opt\/tree\/fifo: skipped, a fifo/);

    for (const rel of ['top.txt', 'sub/deep/data.bin', 'run.sh', 'empty']) {
      expect((await readFile(join(dest, rel))).equals(await readFile(join(src, rel))), rel).toBe(
        true,
      );
    }
    expect((await lstat(join(dest, 'run.sh'))).mode & 0o7777).toBe(0o755);
    expect((await lstat(join(dest, 'suid'))).mode & 0o7777).toBe(0o755);
    expect(await readlink(join(dest, 'inside'))).toBe('sub/deep/data.bin');
    expect(await readlink(join(dest, 'sub', 'abs'))).toBe('../top.txt');
    for (const absent of ['escape', 'fifo', 'sub/up']) {
      await expect(lstat(join(dest, absent)), absent).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('merges into an existing host directory but never writes through a host symlink', async () => {
    const dest = join(host, 'merge');
    await mkdir(dest);
    const outside = join(host, 'outside.txt');
    await writeFile(outside, 'untouched');
    await symlink(outside, join(dest, 'top.txt'));
    await expect(trees.pull(name, '/opt/tree', dest)).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await readFile(outside, 'utf8')).toBe('untouched');
  });

  it('refuses to pull something that is not a directory', async () => {
    await expect(trees.pull(name, '/opt/tree/top.txt', join(host, 'x'))).rejects.toThrow(
      /it is a file/,
    );
  });
});
