import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Incus } from '../../../../src/incus/index.js';
import { containerName, tmuxSessionName, workspaceHash } from '../../../../src/shared/naming.js';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile, type CoiTerminal } from '../../../helpers/coi-cli.js';

/**
 * Sessions that behave like the agent's own: `coi shell` comes back to a running session,
 * `--container` enters one as it is, an alias launches its workspace from anywhere, `[shell]
 * use_tmux = false` runs the agent on the terminal itself, and a failing `[tool] pre_launch`
 * stops the launch. The stand-in agent plays the agent (see shell.test.ts).
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[container]
shutdown_timeout = 5
`;

let box: CoiSandbox;
let incus: Incus;

sandboxForFile(CONFIG, (b) => (box = b));
beforeAll(() => {
  incus = Incus.local();
});
afterAll(async () => {
  await incus?.close();
});

const slot = (ws: string, n: number) => containerName(ws, n, box.prefix);

/** Containers of this run whose name carries the workspace's hash. */
async function containersOf(ws: string): Promise<string[]> {
  const names = await incus.instances.names();
  return names.filter((n) => n.startsWith(`${box.prefix}${workspaceHash(ws)}-`)).sort();
}

async function background(ws: string, ...args: string[]): Promise<string> {
  const r = await box.run(['shell', '--background', ...args], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  return /^Container: (\S+)$/m.exec(r.stderr)![1]!;
}

/** Runs a command as the code user; asked again when Incus could not start it (exit code -1). */
async function asCode(container: string, command: string[]) {
  for (let attempt = 1; ; attempt++) {
    const r = await incus.exec.run(container, command, { user: 1000, group: 1000 });
    if (r.exitCode !== -1 || attempt === 3) return r;
  }
}

async function hasTmux(container: string): Promise<boolean> {
  return (
    (await asCode(container, ['tmux', 'has-session', '-t', tmuxSessionName(container)]))
      .exitCode === 0
  );
}

/**
 * Detaches a terminal attached to tmux (Ctrl-b d) and waits for the CLI to end. A client still
 * settling can miss the keys: they are sent again, and a CLI that never ends fails with its screen.
 */
async function detach(t: CoiTerminal): Promise<number> {
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      t.term.write('\x02d');
      const code = await Promise.race([t.exited, sleep(5000).then(() => undefined)]);
      if (code !== undefined) return code;
    }
    throw new Error(`the CLI did not end after Ctrl-b d; its screen:\n${t.screen()}`);
  } finally {
    t.term.kill();
  }
}

describe('coi shell in a workspace with a running session', () => {
  it('reattaches to slot 1 instead of taking a new slot; --slot picks another running one', async () => {
    const ws = box.workspace('reattach');
    const first = await background(ws);
    expect(first).toBe(slot(ws, 1));
    await asCode(first, ['touch', '/home/code/marker']);

    const again = box.terminal(['shell'], ws);
    await again.seen(new RegExp(`Reattaching to the running session in ${first}`));
    await again.seen(/standin: started/);
    again.term.write('back-again\r');
    await again.seen(/standin: got back-again/);
    expect(await detach(again)).toBe(0);
    expect(again.screen()).toContain(`Detached. Reattach with \`coi attach ${first}\``);
    expect(again.screen()).not.toContain('Auto-allocated slot');
    expect(await containersOf(ws)).toEqual([first]);
    expect((await asCode(first, ['test', '-e', '/home/code/marker'])).exitCode).toBe(0);

    // --slot 2 has no session yet: a new one there; then `coi shell --slot 2` comes back to it.
    const second = await background(ws, '--slot', '2');
    expect(second).toBe(slot(ws, 2));
    const back = box.terminal(['shell', '--slot', '2'], ws);
    await back.seen(new RegExp(`Reattaching to the running session in ${second}`));
    expect(await detach(back)).toBe(0);
    expect(await containersOf(ws)).toEqual([first, second]);

    // --container enters a container as it is, from any directory, and leaves it running.
    const elsewhere = box.workspace('reattach-elsewhere');
    const entered = box.terminal(['shell', '--container', first], elsewhere);
    await entered.seen(/standin: got back-again|standin: started/);
    expect(await detach(entered)).toBe(0);
    expect((await incus.instances.get(first)).value.status).toBe('Running');
    expect(await containersOf(elsewhere)).toEqual([]);

    // Without its tmux session, --container starts the configured agent in one.
    await asCode(second, ['tmux', 'kill-session', '-t', tmuxSessionName(second)]);
    const restarted = box.terminal(['shell', '--container', second], elsewhere);
    await restarted.seen(new RegExp(`Starting claude in tmux in ${second}`));
    await restarted.seen(/standin: started/);
    expect(await detach(restarted)).toBe(0);
    expect(await hasTmux(second)).toBe(true);

    const missing = await box.run(['shell', '--background', '--container', `${box.prefix}nope`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `container ${box.prefix}nope (from --container) does not exist`,
    );
    const conflict = await box.run(['shell', '--background', '--container', first, '--slot', '2']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('--container enters an existing container as it is');
    await box.run(['kill', first, second, '--force']);
  });
});

describe('[container] alias', () => {
  it('`coi shell ALIAS` from another directory launches the alias’s workspace; list and attach know it', async () => {
    const ws = box.workspace('aliased');
    mkdirSync(join(ws, '.coi'));
    writeFileSync(join(ws, '.coi/config.toml'), '[container]\nalias = "h4proj"\n');
    const first = await background(ws);
    const registry = JSON.parse(readFileSync(join(box.coiDir, 'aliases.json'), 'utf8')) as object;
    expect(registry).toEqual({ h4proj: { workspace: ws } });
    const listed = await box.run(['list', '--json']);
    const rows = (
      JSON.parse(listed.stdout) as { active_containers: { name: string; alias: string }[] }
    ).active_containers;
    expect(rows.find((c) => c.name === first)?.alias).toBe('h4proj');
    expect((await box.run(['list'])).stdout).toContain('    Alias: h4proj');

    // `coi attach ALIAS` from anywhere.
    const elsewhere = box.workspace('alias-elsewhere');
    const attached = box.terminal(['attach', 'h4proj'], elsewhere);
    await attached.seen(/standin: started/);
    expect(await detach(attached)).toBe(0);
    await box.run(['kill', first, '--force']);

    // No session now: `coi shell ALIAS-2` launches the alias's workspace, in slot 2.
    const r = await box.run(['shell', '--background', 'h4proj-2'], { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Workspace: ${ws}`);
    expect(r.stderr).toContain(`Container: ${slot(ws, 2)}`);
    expect(await containersOf(elsewhere)).toEqual([]);
    await box.run(['kill', slot(ws, 2), '--force']);

    const unknown = await box.run(['shell', '--background', 'nosuchalias'], { cwd: elsewhere });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown alias "nosuchalias": the registered container aliases are h4proj',
    );
  });
});

describe('[container] session_name', () => {
  it('gives two checkouts one identity: the persistent container follows to the other checkout', async () => {
    const one = box.workspace('named-one');
    const two = box.workspace('named-two');
    const file = join(box.root, 'named.toml');
    writeFileSync(file, '[container]\nsession_name = "h4-shared"\npersistent = true\n');
    const env = { COI_CONFIG: file };
    const first = await box.run(['shell', '--background'], { cwd: one, env });
    expect(first.code, first.stderr).toBe(0);
    const name = /^Container: (\S+)$/m.exec(first.stderr)![1]!;
    expect(name).toBe(containerName('session-name:h4-shared', 1, box.prefix));
    await asCode(name, ['touch', '/home/code/kept-home']);
    expect((await box.run(['shutdown', name], { cwd: one })).code).toBe(0);

    writeFileSync(join(two, 'only-in-two'), 'two\n');
    const second = await box.run(['shell', '--background'], { cwd: two, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`Container: ${name}`);
    expect(second.stderr).toContain(`Mounting ${two} as /workspace (it was ${one})`);
    expect((await asCode(name, ['cat', '/workspace/only-in-two'])).stdout.toString()).toBe('two\n');
    expect((await asCode(name, ['test', '-e', '/home/code/kept-home'])).exitCode).toBe(0);
    await box.run(['kill', name, '--force']);
  });
});

describe('[shell] use_tmux = false', () => {
  it('runs the agent on the terminal directly; the session ends with it', async () => {
    const ws = box.workspace('direct');
    mkdirSync(join(ws, '.coi'));
    writeFileSync(join(ws, '.coi/config.toml'), '[shell]\nuse_tmux = false\n');
    const name = slot(ws, 1);
    const t = box.terminal(['shell'], ws);
    try {
      await t.seen(/Mode: Direct \(no tmux\)/);
      await t.seen(/standin: started/);
      expect(await hasTmux(name)).toBe(false);
      t.term.write('direct-line\r');
      await t.seen(/standin: got direct-line/);
      t.term.write('exit\r');
      expect(await t.exited).toBe(0);
    } finally {
      t.term.kill();
    }
    expect(t.screen()).toContain('Session data saved successfully');
    expect(t.screen()).toContain(`Container ${name} deleted.`);
    expect(await incus.instances.exists(name)).toBe(false);

    const refused = await box.run(['shell', '--background'], { cwd: ws });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--background needs tmux, and [shell] use_tmux is false');
  });
});

describe('[tool] pre_launch', () => {
  /** A trusted config file of its own, through COI_CONFIG. */
  function preLaunchConfig(ws: string, commands: string[]): Record<string, string> {
    const file = join(ws, '..', `${ws.split('/').at(-1)}-pre-launch.toml`);
    writeFileSync(file, `[tool]\npre_launch = ${JSON.stringify(commands)}\n`);
    return { COI_CONFIG: file };
  }

  it('runs as the code user in /workspace before the agent, its output in the session log', async () => {
    const ws = box.workspace('pre-launch-ok');
    const env = preLaunchConfig(ws, [
      'id -un > /workspace/pre-ran; pwd >> /workspace/pre-ran; echo prepared-ok',
      'sudo usermod -aG adm code',
    ]);
    const r = await box.run(['shell', '--background'], { cwd: ws, env });
    expect(r.code, r.stderr).toBe(0);
    const name = /^Container: (\S+)$/m.exec(r.stderr)![1]!;
    expect(readFileSync(join(ws, 'pre-ran'), 'utf8')).toBe('code\n/workspace\n');
    // The session's tmux server has the code user's groups (Incus gives an exec's user none).
    const shown = await incus.exec.run(
      name,
      ['tmux', 'run-shell', 'id -nG > /workspace/tmux-groups'],
      { user: 1000, group: 1000 },
    );
    expect(shown.exitCode, shown.stderr.toString()).toBe(0);
    expect(readFileSync(join(ws, 'tmux-groups'), 'utf8')).toBe('code adm\n');
    // So has `coi attach --bash`'s login shell.
    const bash = box.terminal(['attach', name, '--bash'], ws);
    try {
      await bash.seen(/code@[^:\s]*:/);
      bash.term.write('id -nG > /workspace/bash-groups; exit\r');
      expect(await bash.exited).toBe(0);
    } finally {
      bash.term.kill();
    }
    expect(readFileSync(join(ws, 'bash-groups'), 'utf8')).toBe('code adm\n');
    expect(readFileSync(join(box.coiDir, 'logs', `${name}.stdout.log`), 'utf8')).toContain(
      'prepared-ok',
    );
    await box.run(['kill', name, '--force']);
  });

  it('a failing command stops the launch with its exit code and last lines, and rolls it back', async () => {
    const ws = box.workspace('pre-launch-fails');
    const env = preLaunchConfig(ws, ['echo step-one; echo broken-dependency >&2; exit 7']);
    const r = await box.run(['shell', '--background'], { cwd: ws, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed (exit 7); the agent was not started');
    expect(r.stderr).toContain('step-one');
    expect(r.stderr).toContain('broken-dependency');
    const name = slot(ws, 1);
    expect(await containersOf(ws)).toEqual([]);
    expect(readFileSync(join(box.coiDir, 'logs', `${name}.stdout.log`), 'utf8')).toContain(
      'broken-dependency',
    );
    // The rollback of any late failure: no host lock, no claim, nothing immutable left.
    expect(existsSync(join(box.coiDir, 'locks', `${name}.json`))).toBe(false);
    const claims = join(box.coiDir, 'claims');
    expect(existsSync(claims) ? readdirSync(claims).filter((f) => f.startsWith(name)) : []).toEqual(
      [],
    );
    const hooks = join(ws, '.git/hooks');
    if (existsSync(hooks))
      expect(execFileSync('lsattr', ['-d', hooks]).toString()).not.toMatch(/^\S*i/);
  });
});
