import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import {
  BASE_IMAGE,
  deleteTestContainer,
  incus,
  launchTestContainer,
  testName,
} from '../../../helpers/testbed.js';
import { InstancesApi } from '../../../../src/incus/instances.js';
import { ImagesApi } from '../../../../src/incus/images.js';

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
    expect(launched.stderr).toBe(`Container ${name} launched from ${BASE_IMAGE}\n`);
    expect(launched.code).toBe(0);
    expect((await coi(['container', 'exists', name])).code).toBe(0);
    expect((await coi(['container', 'running', name])).code).toBe(0);
    expect(await coi(['container', 'stop', name])).toMatchObject({
      code: 0,
      stderr: `Container ${name} stopped\n`,
    });
    expect((await coi(['container', 'running', name])).code).toBe(1);
    expect(await coi(['container', 'start', name])).toMatchObject({
      code: 0,
      stderr: `Container ${name} started\n`,
    });
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
    expect(await coi(['container', 'exec', name, '--format', 'json', '--', 'true'])).toMatchObject({
      code: 2,
      stderr: 'Error: --format requires --capture\n',
    });
    expect(
      await coi(['container', 'exec', name, '--capture', '--format', 'xml', '--', 'true']),
    ).toMatchObject({ code: 2, stderr: 'Error: invalid format "xml" (use json or raw)\n' });
    expect(await coi(['container', 'exec', name, '--env', 'NOVALUE', '--', 'true'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('invalid env "NOVALUE"'),
    });
    expect((await coi(['container', 'exec', name, '--user', 'code', '--', 'true'])).code).toBe(2);
    expect((await coi(['container', 'exec', name])).code).toBe(2);
  });

  it('lists every container and shows one, as text or as the Incus objects', async () => {
    const json = await coi(['container', 'list', '--json']);
    expect(json.code).toBe(0);
    const listed = (
      JSON.parse(json.stdout) as { name: string; status: string; state: unknown }[]
    ).find((i) => i.name === name);
    expect(listed).toMatchObject({ status: 'Running', state: { status: 'Running' } });
    const text = await coi(['container', 'list']);
    expect(text.stdout).toMatch(/^NAME +STATE +IPV4 +IPV6 +TYPE +SNAPSHOTS\n/);
    expect(text.stdout).toMatch(
      new RegExp(`\\n${name} +RUNNING +(\\d+\\.\\d+\\.\\d+\\.\\d+ \\(eth0\\)|-) +`),
    );

    const info = await coi(['container', 'info', name, '--format', 'json']);
    expect(info.code).toBe(0);
    const { state } = JSON.parse(info.stdout) as { state: { pid: number; processes: number } };
    expect(state.pid).toBeGreaterThan(0);
    const infoText = await coi(['container', 'info', name]);
    expect(infoText.stdout).toMatch(
      new RegExp(`^Name: ${name}\nStatus: RUNNING\nType: container\n`),
    );
    expect(infoText.stdout).toContain(`PID: ${state.pid}`);
    expect(infoText.stdout).toMatch(/\n {4}eth0: up, host veth\w+/);

    expect((await coi(['container', 'list', '--format', 'yaml'])).code).toBe(2);
    const ghost = await coi(['container', 'info', testName('ghost'), '--json']);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/does not exist \(`coi container list` shows them\)/);
  });

  it('execs on a pseudo-terminal with -t: a tty inside, keystrokes from this terminal', async () => {
    const tty = await coi(['container', 'exec', name, '-t', '--', 'sh', '-c', 'tty; exit 5']);
    expect(tty.code).toBe(5);
    expect(tty.stdout).toMatch(/^\/dev\/pts\/\d+\r\n$/);
    const both = await coi(['container', 'exec', name, '-t', '--capture', '--', 'true']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--tty and --capture are mutually exclusive');

    const onTerminal = sandbox.terminal(
      ['container', 'exec', name, '--tty', '--', 'sh', '-c', 'read x; echo "got-$x"; exit 3'],
      sandbox.root,
    );
    try {
      // Raw mode: the pty inside echoes the keystrokes, not coi's terminal.
      onTerminal.term.write('hello\r');
      await onTerminal.seen(/got-hello/);
      expect(await onTerminal.exited).toBe(3);
    } finally {
      onTerminal.term.kill();
    }
  });

  it('mounts a host directory read-only with --readonly', async () => {
    const dir = sandbox.workspace('ro', 0);
    // Writable for anyone: only the mount itself can make it read-only inside.
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'seen.txt'), 'read me');
    const mounted = await coi([
      'container',
      'mount',
      name,
      'ro',
      dir,
      '/mnt/ro',
      '--no-shift',
      '--readonly',
    ]);
    expect(mounted.code).toBe(0);
    const device = (await new InstancesApi(incus()).get(name)).value.devices.ro;
    expect(device).toMatchObject({ source: dir, path: '/mnt/ro', readonly: 'true' });
    const read = await coi(['container', 'exec', name, '--', 'cat', '/mnt/ro/seen.txt']);
    expect(read.stdout).toBe('read me');
    const write = await coi(['container', 'exec', name, '--', 'touch', '/mnt/ro/new']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toContain('Read-only file system');
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

  it('launches with the root disk on the pool --storage names, and refuses an unknown pool', async () => {
    const pooled = testName('pooled');
    try {
      const launched = await coi([
        'container',
        'launch',
        BASE_IMAGE,
        pooled,
        '--storage',
        'default',
      ]);
      expect(launched.code).toBe(0);
      const { devices } = (await new InstancesApi(incus()).get(pooled)).value;
      expect(devices.root).toEqual({ type: 'disk', path: '/', pool: 'default' });
    } finally {
      await deleteTestContainer(pooled);
    }
    const unknown = await coi(['container', 'launch', BASE_IMAGE, pooled, '-s', 'no-such-pool']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /storage pool "no-such-pool" does not exist \(existing: .*default/,
    );
    expect((await coi(['container', 'exists', pooled])).code).toBe(1);
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

    const info = await coi(['image', 'info', first, '--json']);
    expect(info.code).toBe(0);
    const image = JSON.parse(info.stdout) as {
      fingerprint: string;
      aliases: { name: string }[];
      properties: Record<string, string>;
    };
    expect(image.aliases.map((a) => a.name)).toEqual([first]);
    expect(image.properties.description).toBe('first one');
    const infoText = await coi(['image', 'info', image.fingerprint.slice(0, 12)]);
    expect(infoText.stdout).toMatch(
      new RegExp(`^Fingerprint: ${image.fingerprint}\nSize: [\\d.]+ MiB\n`),
    );
    expect(infoText.stdout).toContain(`Aliases:\n    - ${first} (first one)\n`);

    const listed = await coi(['image', 'list', '--prefix', testName('img-'), '--json']);
    const images = JSON.parse(listed.stdout) as { aliases: string[]; description: string }[];
    expect(images.map((i) => i.aliases[0])).toEqual([second, first]);
    expect(images[1]!.description).toBe('first one');
    const text = await coi(['image', 'list', '--prefix', testName('img-')]);
    expect(text.stdout).toMatch(new RegExp(`^Images with prefix '${testName('img-')}':\n\nALIAS`));
    expect(text.stdout).toContain(second);
    const none = await coi(['image', 'list', '--prefix', testName('no-such-')]);
    expect(none.stdout).toBe(`No images found with prefix '${testName('no-such-')}'\n`);

    const cleaned = await coi(['image', 'cleanup', testName('img-'), '--keep', '1']);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stderr).toMatch(
      new RegExp(`^Cleanup complete:\n\nDeleted 1 old version\\(s\\):\n  - ${first} \\(`),
    );
    expect((await coi(['image', 'exists', first])).code).toBe(1);
    const deleted = await coi(['image', 'delete', second]);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toMatch(
      new RegExp(`^Image ${second} deleted \\(fingerprint \\w{12}\\)\n$`),
    );
    expect((await coi(['image', 'exists', second])).code).toBe(1);
  });

  it('publishes with the compression --compression names instead of the configured one', async () => {
    const source = await launchTestContainer('img-zip', { start: false });
    const plain = testName('img-plain');
    const zipped = testName('img-gzip');
    const bogusAlias = testName('img-x');
    try {
      // The sandbox's config says compression = "none".
      expect((await coi(['image', 'publish', source, plain])).code).toBe(0);
      expect((await coi(['image', 'publish', source, zipped, '--compression', 'gzip'])).code).toBe(
        0,
      );
      const images = new ImagesApi(incus());
      const [none, gzip] = await Promise.all([
        images.findByAlias(plain),
        images.findByAlias(zipped),
      ]);
      expect(gzip!.size).toBeLessThan(none!.size * 0.8);
      const bogus = await coi(['image', 'publish', source, bogusAlias, '--compression', 'bogus']);
      expect(bogus.code).toBe(1);
      expect(bogus.stderr).toMatch(/bogus/);
    } finally {
      for (const alias of [plain, zipped, bogusAlias]) await coi(['image', 'delete', alias]);
      await deleteTestContainer(source);
    }
  }, 300_000);

  it('fails clearly on missing images and bad arguments', async () => {
    const missing = await coi(['image', 'delete', testName('nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no image/);
    expect((await coi(['image', 'cleanup', testName('x'), '--keep', '0'])).code).toBe(2);
    expect((await coi(['image', 'cleanup', testName('x')])).code).toBe(2);
    expect((await coi(['image', 'list', '--format', 'table'])).code).toBe(2);
    expect((await coi(['image', 'publish', testName('ghost'), testName('x')])).code).toBe(1);
    const info = await coi(['image', 'info', testName('nope')]);
    expect(info.code).toBe(1);
    expect(info.stderr).toMatch(/no image ".*nope" on this host/);
    expect((await coi(['image', 'info', BASE_IMAGE, '--format', 'xml'])).code).toBe(2);
  });
});
