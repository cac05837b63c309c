import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import {
  BASE_IMAGE,
  deleteTestContainer,
  launchTestContainer,
  testName,
} from '../../../helpers/testbed.js';

let sandbox: CoiSandbox;
const name = testName('ctl');

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('[container.build]\ncompression = "none"\n');
});

afterAll(async () => {
  await deleteTestContainer(name);
  await sandbox.remove();
});

const coi = (args: string[]) => sandbox.run(args, { timeoutMs: 180_000 });

describe('coi container', () => {
  it('launches, answers exists/running by exit status, stops and starts', async () => {
    const launched = await coi(['container', 'launch', BASE_IMAGE, name]);
    expect(launched.stderr).toBe(`Launched ${name} from ${BASE_IMAGE}\n`);
    expect(launched.code).toBe(0);
    expect((await coi(['container', 'exists', name])).code).toBe(0);
    expect((await coi(['container', 'running', name])).code).toBe(0);
    expect((await coi(['container', 'stop', name])).code).toBe(0);
    expect((await coi(['container', 'running', name])).code).toBe(1);
    expect((await coi(['container', 'start', name])).code).toBe(0);
    expect((await coi(['container', 'running', name])).code).toBe(0);
  });

  it('execs with the exit code, user, env and cwd preserved', async () => {
    const streamed = await coi([
      'container',
      'exec',
      name,
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 7',
    ]);
    expect(streamed).toMatchObject({ code: 7, stdout: 'out\n', stderr: 'err\n' });
    const captured = await coi([
      'container',
      'exec',
      name,
      '--user',
      '1000',
      '--env',
      'GREETING=hi',
      '--cwd',
      '/tmp',
      '--capture',
      '--',
      'sh',
      '-c',
      'echo "$(id -u) $GREETING $(pwd)"; exit 3',
    ]);
    expect(captured.code).toBe(3);
    expect(JSON.parse(captured.stdout)).toEqual({
      stdout: '1000 hi /tmp\n',
      stderr: '',
      exit_code: 3,
    });
    const raw = await coi([
      'container',
      'exec',
      name,
      '--capture',
      '--format',
      'raw',
      '--',
      'echo',
      'raw',
    ]);
    expect(raw).toMatchObject({ code: 0, stdout: 'raw\n' });
    const input = await sandbox.run(['container', 'exec', name, '--', 'cat'], { input: 'piped' });
    expect(input.stdout).toBe('piped');
  });

  it('rejects bad exec usage with exit 2', async () => {
    expect((await coi(['container', 'exec', name, '--format', 'json', '--', 'true'])).code).toBe(2);
    expect(
      (await coi(['container', 'exec', name, '--capture', '--format', 'xml', '--', 'true'])).code,
    ).toBe(2);
    expect((await coi(['container', 'exec', name, '--user', 'code', '--', 'true'])).code).toBe(2);
    expect((await coi(['container', 'exec', name])).code).toBe(2);
  });

  it('mounts a host directory', async () => {
    const dir = sandbox.workspace('mnt', 0);
    writeFileSync(join(dir, 'seen.txt'), 'from host');
    expect(
      (await coi(['container', 'mount', name, 'data', dir, '/mnt/data', '--no-shift'])).code,
    ).toBe(0);
    const r = await coi(['container', 'exec', name, '--', 'cat', '/mnt/data/seen.txt']);
    expect(r.stdout).toBe('from host');
  });

  it('refuses to delete a running container without --force, then deletes it', async () => {
    const refused = await coi(['container', 'delete', name]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is running: stop it first or use --force/);
    expect((await coi(['container', 'delete', name, '--force'])).code).toBe(0);
    expect((await coi(['container', 'exists', name])).code).toBe(1);
  });

  it('`coi list` changes nothing: a stopped coi-named container of `container launch` stays', async () => {
    const coiNamed = `${sandbox.prefix}0badc0de-1`;
    try {
      expect((await coi(['container', 'launch', BASE_IMAGE, coiNamed])).code).toBe(0);
      expect((await coi(['container', 'stop', coiNamed])).code).toBe(0);
      for (const args of [['list'], ['list', '--all', '--format', 'json']]) {
        const listed = await coi(args);
        expect(listed.code, listed.stderr).toBe(0);
        expect(listed.stdout).toContain(coiNamed);
        expect(listed.stderr).toBe('');
      }
      const json = JSON.parse((await coi(['list', '--format', 'json'])).stdout) as {
        active_containers: { name: string; status: string }[];
      };
      expect(json.active_containers).toContainEqual(
        expect.objectContaining({ name: coiNamed, status: 'Stopped' }),
      );
      expect((await coi(['container', 'exists', coiNamed])).code).toBe(0);
    } finally {
      await deleteTestContainer(coiNamed);
    }
  });

  it('fails clearly on a missing container or image', async () => {
    const ghost = testName('ghost');
    const exec = await coi(['container', 'exec', ghost, '--', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toMatch(/does not exist/);
    expect((await coi(['container', 'start', ghost])).code).toBe(1);
    expect((await coi(['container', 'running', ghost])).code).toBe(1);
    const image = await coi(['container', 'launch', testName('no-image'), ghost]);
    expect(image.code).toBe(1);
    expect(image.stderr).toMatch(/image ".*" does not exist/);
  });
});

describe('coi tmux', () => {
  it('lists, sends to and captures the coi-<container> session of the code user', async () => {
    const tmuxed = await launchTestContainer('abcdef12-3');
    const start = await coi([
      'container',
      'exec',
      tmuxed,
      '--user',
      '1000',
      '--',
      'tmux',
      'new-session',
      '-d',
      '-s',
      `coi-${tmuxed}`,
      'bash',
    ]);
    expect(start.code).toBe(0);
    const list = await coi(['tmux', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ container: tmuxed, session: `coi-${tmuxed}`, attached: false }),
    );
    expect((await coi(['tmux', 'send', tmuxed, 'echo hello-$((6*7))'])).code).toBe(0);
    let screen = '';
    for (let i = 0; i < 20 && !screen.includes('hello-42'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      screen = (await coi(['tmux', 'capture', tmuxed])).stdout;
    }
    expect(screen).toContain('hello-42');

    const other = await launchTestContainer('abcdef12-4');
    const none = await coi(['tmux', 'capture', other]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no tmux session/);
    expect((await coi(['tmux', 'send', testName('ghost'), 'x'])).code).toBe(1);
    expect((await coi(['tmux', 'list', '--format', 'csv'])).code).toBe(2);
  });
});

describe('coi image', () => {
  it('publishes, lists, checks, cleans up and deletes images', async () => {
    const source = await launchTestContainer('img-src', { start: false });
    const first = testName('img-a');
    const second = testName('img-b');
    const published = await coi(['image', 'publish', source, first, '--description', 'first one']);
    expect(published.code).toBe(0);
    expect((await coi(['image', 'exists', first])).code).toBe(0);
    const again = await coi(['image', 'publish', source, first]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    // The same content would give the same fingerprint: change it first.
    await deleteTestContainer(source);
    const changed = await launchTestContainer('img-src2', {
      start: false,
      config: { 'user.marker': 'b' },
    });
    expect((await coi(['image', 'publish', changed, second])).code).toBe(0);

    const listed = await coi(['image', 'list', '--prefix', testName('img-'), '--json']);
    const images = JSON.parse(listed.stdout) as { aliases: string[]; description: string }[];
    expect(images.map((i) => i.aliases[0])).toEqual([second, first]);
    expect(images[1]!.description).toBe('first one');

    const cleaned = await coi(['image', 'cleanup', testName('img-'), '--keep', '1']);
    expect(cleaned.code).toBe(0);
    expect((await coi(['image', 'exists', first])).code).toBe(1);
    expect((await coi(['image', 'delete', second])).code).toBe(0);
    expect((await coi(['image', 'exists', second])).code).toBe(1);
  });

  it('fails clearly on missing images and bad arguments', async () => {
    const missing = await coi(['image', 'delete', testName('nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no image/);
    expect((await coi(['image', 'cleanup', testName('x'), '--keep', '0'])).code).toBe(2);
    expect((await coi(['image', 'cleanup', testName('x')])).code).toBe(2);
    expect((await coi(['image', 'list', '--format', 'table'])).code).toBe(2);
    expect((await coi(['image', 'publish', testName('ghost'), testName('x')])).code).toBe(1);
  });
});
