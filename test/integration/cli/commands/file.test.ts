import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { launchTestContainer } from '../../../helpers/testbed.js';

let sandbox: CoiSandbox;
let name: string;
let host: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = new CoiSandbox('');
  // Not under the sandbox: pulled symlinks would trip its chattr clean-up.
  host = mkdtempSync(join(tmpdir(), 'coi-file-test-'));
  name = await launchTestContainer('file-cp');
});

afterAll(async () => {
  await rm(host, { recursive: true, force: true });
  await sandbox.remove();
});

const coi = (args: string[]) => sandbox.run(args);
const inside = async (cmd: string) =>
  (await coi(['container', 'exec', name, '--capture', '--format', 'raw', '--', 'sh', '-c', cmd]))
    .stdout;

describe('coi file', () => {
  it('pushes a file into an existing directory, owned like that directory', async () => {
    writeFileSync(join(host, 'note.txt'), 'hello\n');
    const pushed = await coi(['file', 'push', join(host, 'note.txt'), `${name}:/home/code`]);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toBe(
      `Pushed file ${join(host, 'note.txt')} -> ${name}:/home/code/note.txt\n`,
    );
    expect(await inside('cat /home/code/note.txt; stat -c %U /home/code/note.txt')).toBe(
      'hello\ncode\n',
    );
  });

  it('pushes a directory with -r, and refuses one without', async () => {
    const tree = join(host, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'sub', 'a.txt'), 'a');
    const refused = await coi(['file', 'push', tree, `${name}:/root`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/use -r/);
    const pushed = await coi(['file', 'push', '-r', tree, `${name}:/root`]);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toBe(
      `Pushed directory ${tree} -> ${name}:/root/tree (1 file(s), 2 directory(ies))\n`,
    );
    expect(await inside('cat /root/tree/sub/a.txt')).toBe('a');
  });

  it('refuses to push into a missing directory', async () => {
    writeFileSync(join(host, 'x.txt'), 'x');
    const r = await coi(['file', 'push', join(host, 'x.txt'), `${name}:/no/such/dir/x.txt`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/no\/such\/dir is not an existing directory/);
  });

  it('pulls into an existing directory without deleting what is there or following symlinks', async () => {
    await inside(
      'mkdir -p /root/out/d && echo data > /root/out/d/f && ln -s /etc/passwd /root/out/escape && ln -s d/f /root/out/inner',
    );
    const dest = join(host, 'pulled');
    mkdirSync(dest);
    writeFileSync(join(dest, 'keep.txt'), 'mine');
    const r = await coi(['file', 'pull', '-r', `${name}:/root/out`, dest]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/escape: symlink to \/etc\/passwd not recreated/);
    expect(readFileSync(join(dest, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dest, 'out', 'd', 'f'), 'utf8')).toBe('data\n');
    expect(existsSync(join(dest, 'out', 'escape'))).toBe(false);
    expect(lstatSync(join(dest, 'out', 'inner')).isSymbolicLink()).toBe(true);

    expect(r.stderr).toContain(`Pulled directory ${name}:/root/out -> ${join(dest, 'out')} (`);
    const file = await coi(['file', 'pull', `${name}:/root/out/d/f`, dest]);
    expect(file.code).toBe(0);
    expect(file.stderr).toBe(`Pulled file ${name}:/root/out/d/f -> ${join(dest, 'f')}\n`);
    expect(readFileSync(join(dest, 'f'), 'utf8')).toBe('data\n');
  });

  it('refuses symlinks, directories without -r, missing paths and bad specs', async () => {
    const link = await coi(['file', 'pull', `${name}:/root/out/escape`, host]);
    expect(link.code).toBe(1);
    expect(link.stderr).toMatch(/is a symlink/);
    expect((await coi(['file', 'pull', `${name}:/root/out`, host])).code).toBe(2);
    const missing = await coi(['file', 'pull', `${name}:/root/nothing`, host]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or directory/);
    expect((await coi(['file', 'pull', 'no-colon', host])).code).toBe(2);
    expect((await coi(['file', 'push', join(host, 'x.txt'), `${name}:relative`])).code).toBe(2);
    expect((await coi(['file', 'push', join(host, 'x.txt')])).code).toBe(2);
  });
});
