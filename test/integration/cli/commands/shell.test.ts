import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Incus } from '../../../../src/incus/index.js';
import { tmuxSessionName, workspaceHash } from '../../../../src/shared/naming.js';
import { forceDelete } from '../../../../src/core/container/force-delete.js';
import { monitorPaths } from '../../../../src/security/monitor/paths.js';
import { ask } from '../../../../src/security/monitor/singleton.js';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile } from '../../../helpers/coi-cli.js';
import { BASE_IMAGE, launchTestContainer, deleteTestContainer } from '../../../helpers/testbed.js';

/**
 * `coi shell --background` sessions with the stand-in agent (it speaks Claude Code's flags and
 * keeps its state in ~/.claude), driven through tmux inside the container as the code user.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[container]
shutdown_timeout = 10
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

/** Each pattern matches a line of `text`, in this order (as pexpect-style automation waits). */
function expectLinesInOrder(text: string, patterns: RegExp[]): void {
  let from = 0;
  for (const pattern of patterns) {
    const at = text.slice(from).search(new RegExp(`^${pattern.source}$`, 'm'));
    expect(at, `${pattern} after offset ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
    from += at + 1;
  }
}

/** Starts a background session and returns its container name. */
async function shell(ws: string, ...args: string[]): Promise<string> {
  const r = await box.run(['shell', '--background', ...args], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  const name = /^Container: (\S+)$/m.exec(r.stderr)?.[1];
  expect(name, r.stderr).toBeDefined();
  // The Go coi's progress lines, in its order.
  expectLinesInOrder(r.stderr, [
    /(Auto-allocated slot|Reusing stopped persistent container on slot) \d+/,
    /Setting up session \S+\.\.\./,
    /Starting session\.\.\./,
    /Session ID: \S+/,
    new RegExp(`Container: ${name}`),
    new RegExp(`Workspace: ${ws}`),
    /Mode: Background \(tmux\)/,
    new RegExp(`Created background tmux session: coi-${name}`),
  ]);
  return name!;
}

/** Runs a command as the code user; asked again when Incus could not start it (exit code -1). */
async function asCode(container: string, command: string[]) {
  for (let attempt = 1; ; attempt++) {
    const r = await incus.exec.run(container, command, { user: 1000, group: 1000 });
    if (r.exitCode !== -1 || attempt === 3) return r;
  }
}

async function typeLine(container: string, text: string): Promise<void> {
  const r = await asCode(container, [
    'tmux',
    'send-keys',
    '-t',
    tmuxSessionName(container),
    text,
    'Enter',
  ]);
  expect(r.exitCode, r.stderr.toString()).toBe(0);
}

/** Polls the tmux pane until it shows `pattern`. */
async function paneShows(container: string, pattern: RegExp, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let pane = '';
  while (Date.now() < deadline) {
    const r = await asCode(container, [
      'tmux',
      'capture-pane',
      '-p',
      '-t',
      tmuxSessionName(container),
    ]);
    pane = r.stdout.toString();
    if (pattern.test(pane)) return pane;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the pane of ${container} never showed ${pattern}; it shows:\n${pane}`);
}

async function exists(name: string): Promise<boolean> {
  return incus.instances.exists(name);
}

async function status(name: string): Promise<string> {
  return (await incus.instances.get(name)).value.status;
}

/** The host-side immutable bit (`chattr +i`) of a path. */
function immutable(path: string): boolean {
  return /^\S*i/.test(execFileSync('lsattr', ['-d', path]).toString());
}

async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) {
      const log = monitorPaths(box.coiDir).log;
      const daemon = existsSync(log) ? readFileSync(log, 'utf8') : '(no daemon log)';
      throw new Error(`timed out waiting for ${what}; the daemon's log:\n${daemon}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface ListJson {
  active_containers: { name: string; status: string; persistent: boolean; slot: number }[];
  saved_sessions?: { ID: string; Workspace: string }[];
}

async function listJson(ws: string): Promise<ListJson> {
  const r = await box.run(['list', '--all', '--format', 'json'], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ListJson;
}

describe('coi shell', () => {
  it('gives two sessions of one workspace slots 1 and 2 with their own homes', async () => {
    const ws = box.workspace('two-slots');
    const first = await shell(ws);
    const second = await shell(ws);
    const base = `${box.prefix}${workspaceHash(ws)}`;
    expect([first, second]).toEqual([`${base}-1`, `${base}-2`]);

    await paneShows(first, /standin: context loaded/);
    const context = await asCode(first, ['cat', '/home/code/SANDBOX_CONTEXT.md']);
    expect(context.stdout.toString()).toContain(`Container: ${first} (slot 1)`);
    await asCode(first, ['touch', '/home/code/only-in-slot-1']);
    expect((await asCode(second, ['test', '-e', '/home/code/only-in-slot-1'])).exitCode).toBe(1);

    // tmux → bash → tool: when the tool exits, the pane is a bash in /workspace.
    await typeLine(first, 'exit');
    await paneShows(first, /standin: bye/);
    const pane = await asCode(first, [
      'tmux',
      'display-message',
      '-p',
      '-t',
      tmuxSessionName(first),
      '#{pane_current_command} #{pane_current_path}',
    ]);
    expect(pane.stdout.toString().trim()).toBe('bash /workspace');
    await typeLine(first, 'echo "env:[$IS_SANDBOX][$USER][$TERM]"');
    await paneShows(first, /env:\[1\]\[code\]\[tmux-256color\]|env:\[1\]\[code\]\[screen/);

    // While a session runs the protected paths are immutable on the host too.
    expect(execFileSync('lsattr', ['-d', join(ws, '.git/hooks')]).toString()).toMatch(/^\S*i/);

    // Bulk actions never act without --force when there is no terminal to ask.
    const refused = await box.run(['kill', '--all'], { cwd: ws });
    expect(refused.code).toBe(2);
    expect(await exists(first)).toBe(true);

    const killed = await box.run(['kill', first, second], { cwd: ws });
    expect(killed.code, killed.stderr).toBe(0);
    expectLinesInOrder(killed.stderr, [
      new RegExp(`Killing container ${first}\\.\\.\\.`),
      new RegExp(` {2}✓ Killed ${first}`),
      new RegExp(` {2}✓ Killed ${second}`),
      /Killed 2 container\(s\)/,
    ]);
    expect(await exists(first)).toBe(false);
    expect(await exists(second)).toBe(false);
    expect(execFileSync('lsattr', ['-d', join(ws, '.git/hooks')]).toString()).not.toMatch(/^\S*i/);
  });

  it('saves the agent state on shutdown and --resume restores it for this workspace only', async () => {
    const ws = box.workspace('resume');
    const name = await shell(ws);
    await paneShows(name, /standin: started/);
    await typeLine(name, 'remember-this');
    await paneShows(name, /standin: got remember-this/);

    const down = await box.run(['shutdown', name], { cwd: ws });
    expect(down.code, down.stderr).toBe(0);
    expectLinesInOrder(down.stderr, [
      new RegExp(`Shutting down container ${name} \\(timeout: \\d+s\\)\\.\\.\\.`),
      new RegExp(` {2}✓ Shutdown ${name} \\(session saved to \\S+\\)`),
      /Shutdown 1 container\(s\)/,
    ]);
    expect(await exists(name)).toBe(false);
    const saved = (await listJson(ws)).saved_sessions?.filter((s) => s.Workspace === ws) ?? [];
    expect(saved).toHaveLength(1);
    const dir = join(box.coiDir, 'sessions-claude', saved[0]!.ID);
    expect(readFileSync(join(dir, '.claude', 'standin-state'), 'utf8')).toBe('remember-this\n');
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({ session_id: saved[0]!.ID, workspace: ws, persistent: false });

    // Another workspace has nothing to resume.
    const other = box.workspace('resume-other');
    const none = await box.run(['shell', '--background', '--resume'], { cwd: other });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no saved claude session');

    const again = await shell(ws, '--resume');
    await paneShows(again, /standin: resumed \[remember-this\]/);
    const argv = await asCode(again, ['cat', '/home/code/.claude/standin-argv']);
    expect(argv.stdout.toString()).toContain('--continue');
    await box.run(['kill', again]);
  });

  it(
    'the supervisor saves and deletes a detached session that powered itself off, nothing else',
    { timeout: 300_000 },
    async () => {
      const ws = box.workspace('poweroff');
      const name = await shell(ws);
      const wsStopped = box.workspace('api-stopped');
      const stopped = await shell(wsStopped);
      // Named like a session's container, but `coi container launch` made it: no session keys.
      const plain = `${box.prefix}0badc0d1-1`;
      try {
        expect((await box.run(['container', 'launch', BASE_IMAGE, plain])).code).toBe(0);
        await paneShows(stopped, /standin: started/);
        await typeLine(stopped, 'kept-state');
        await paneShows(stopped, /standin: got kept-state/);
        // Stopped through the API: the session is kept, only its host locks go.
        expect(immutable(join(wsStopped, '.git/hooks'))).toBe(true);
        expect((await box.run(['container', 'stop', stopped])).code).toBe(0);
        await until(
          () => !immutable(join(wsStopped, '.git/hooks')),
          'the stopped session unlocked',
        );
        // Powered off from inside, but not a session.
        await incus.exec.run(plain, ['poweroff']).catch(() => undefined);
        await until(async () => (await status(plain)) === 'Stopped', `${plain} powered off`);

        await paneShows(name, /standin: started/);
        await typeLine(name, 'before-poweroff');
        await paneShows(name, /standin: got before-poweroff/);
        await asCode(name, ['sudo', 'poweroff']);
        // Nobody runs a coi command: the supervisor ends the session on its own.
        await until(async () => !(await exists(name)), `the supervisor to end ${name}`);
        const saved = (await listJson(ws)).saved_sessions?.filter((s) => s.Workspace === ws) ?? [];
        expect(saved).toHaveLength(1);
        const state = join(box.coiDir, 'sessions-claude', saved[0]!.ID, '.claude', 'standin-state');
        expect(readFileSync(state, 'utf8')).toBe('before-poweroff\n');
        // The supervisor logs once the deletion has returned, which can be after it is seen.
        const ended = new RegExp(
          `${name} powered itself off: session saved to \\S+, container deleted`,
        );
        await until(
          () => ended.test(readFileSync(monitorPaths(box.coiDir).log, 'utf8')),
          'the supervisor to log the end',
        );

        // Whatever else stopped stays, and listing changes nothing.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        for (let i = 0; i < 2; i++) {
          const list = await box.run(['list'], { cwd: ws });
          expect(list.code, list.stderr).toBe(0);
          expect(list.stdout).toContain(stopped);
          expect(list.stdout).toContain(plain);
        }
        expect(await status(stopped)).toBe('Stopped');
        expect(await status(plain)).toBe('Stopped');

        // `coi clean` offers the session found stopped, and asks first.
        const refused = await box.run(['clean'], { cwd: ws });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(
          `Save and delete 1 stopped ephemeral session(s): ${stopped}?`,
        );
        expect(await exists(stopped)).toBe(true);
        const cleaned = await box.run(['clean', '--force'], { cwd: ws });
        expect(cleaned.code, cleaned.stderr).toBe(0);
        expect(cleaned.stderr).toMatch(/Session saved to \S+/);
        expect(cleaned.stderr).toContain(`Container ${stopped} deleted.`);
        expect(await exists(stopped)).toBe(false);
        const kept = (await listJson(wsStopped)).saved_sessions?.filter(
          (s) => s.Workspace === wsStopped,
        );
        expect(kept).toHaveLength(1);
      } finally {
        await deleteTestContainer(plain);
        await box.run(['kill', stopped, '--force']);
      }
    },
  );

  it('keeps a persistent container and reuses it on the next shell', async () => {
    const ws = box.workspace('persistent');
    const name = await shell(ws, '--persistent');
    await asCode(name, ['touch', '/home/code/kept']);
    const down = await box.run(['shutdown', name], { cwd: ws });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('kept: persistent');
    expect((await incus.instances.get(name)).value.status).toBe('Stopped');

    const again = await shell(ws, '--persistent');
    expect(again).toBe(name);
    expect((await asCode(name, ['test', '-e', '/home/code/kept'])).exitCode).toBe(0);
    await paneShows(name, /standin: started/);
    const list = await listJson(ws);
    expect(list.active_containers.find((c) => c.name === name)).toMatchObject({
      persistent: true,
      status: 'Running',
    });
    await box.run(['kill', name]);
    expect(await exists(name)).toBe(false);
  });

  it('refuses to start a container whose effective config is privileged', async () => {
    const ws = box.workspace('privileged');
    const label = `${workspaceHash(ws)}-1`;
    // A stopped persistent session container someone made privileged; it must not start again.
    const name = await launchTestContainer(label, {
      start: false,
      config: {
        'security.privileged': 'true',
        'user.coi.persistent': 'true',
        'user.coi.workspace': ws,
      },
    });
    try {
      expect(name).toBe(`${box.prefix}${label}`);
      const r = await box.run(['shell', '--background', '--persistent'], { cwd: ws });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('security.privileged=true');
      expect((await incus.instances.get(name)).value.status).toBe('Stopped');
    } finally {
      await deleteTestContainer(name);
    }
  });

  it('never kills a container that is not a coi container', async () => {
    const victim = await launchTestContainer('not-coi', { start: false });
    try {
      const r = await box.run(['kill', victim]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('no such coi container');
      expect(await exists(victim)).toBe(true);
    } finally {
      await deleteTestContainer(victim);
    }
  });
});

describe('coi shell on a terminal', () => {
  it('detaches with Ctrl-b d, and `coi attach` finds the session again', async () => {
    const ws = box.workspace('detach');
    const shellTerm = box.terminal(['shell'], ws);
    try {
      await shellTerm.seen(/standin: started/);
      shellTerm.term.write('\x02d');
      expect(await shellTerm.exited).toBe(0);
    } finally {
      shellTerm.term.kill();
    }
    const name = `${box.prefix}${workspaceHash(ws)}-1`;
    expect(shellTerm.screen()).toContain(`Detached. Reattach with \`coi attach ${name}\``);
    expect(shellTerm.screen()).toContain('Starting session...');
    expect(shellTerm.screen()).toContain("[cleanup] Container kept running - use 'coi attach'");
    expect((await incus.instances.get(name)).value.status).toBe('Running');

    // The only session: attach needs no name.
    const attach = box.terminal(['attach'], ws);
    try {
      await attach.seen(/standin: started/);
      attach.term.write('\x02d');
      expect(await attach.exited).toBe(0);
    } finally {
      attach.term.kill();
    }
    await box.run(['kill', name]);
  });

  it('attaches to the agent; `sudo poweroff` inside ends the session: saved, deleted', async () => {
    const ws = box.workspace('interactive');
    const { term, exited, seen, screen: shown } = box.terminal(['shell'], ws);
    try {
      await seen(/standin: started/);
      term.write('hello\r');
      await seen(/standin: got hello/);
      term.write('exit\r');
      await seen(/standin: bye/);
      term.write('sudo poweroff\r');
      expect(await exited).toBe(0);
    } finally {
      term.kill();
    }
    expect(shown()).toMatch(/Saving session data to \S+/);
    expect(shown()).toContain('Session data saved successfully');
    const name = `${box.prefix}${workspaceHash(ws)}-1`;
    expect(shown()).toContain(`Container ${name} deleted.`);
    expect(await exists(name)).toBe(false);
  });
});

/** A `coi shell` at a terminal, SIGKILLed once its agent runs: its session goes on unattended. */
async function killedShell(ws: string): Promise<string> {
  const { term, exited, seen } = box.terminal(['shell'], ws);
  try {
    await seen(/standin: started/);
    process.kill(term.pid, 'SIGKILL');
    await exited;
  } finally {
    term.kill();
  }
  const name = `${box.prefix}${workspaceHash(ws)}-1`;
  expect(await status(name)).toBe('Running');
  return name;
}

async function stopDaemon(): Promise<void> {
  const socket = monitorPaths(box.coiDir).socket;
  const reply = await ask(socket, 'status');
  if (reply) process.kill((JSON.parse(reply) as { pid: number }).pid, 'SIGTERM');
  await until(async () => (await ask(socket, 'ping', 200)) === undefined, 'the daemon to stop');
}

describe('a session whose `coi shell` was killed', () => {
  it('`coi container delete --force` releases its host locks itself', async () => {
    const ws = box.workspace('killed-delete');
    const name = await killedShell(ws);
    const hooks = join(ws, '.git/hooks');
    expect(immutable(hooks)).toBe(true);
    // No supervisor: the command alone must do it.
    await stopDaemon();
    const r = await box.run(['container', 'delete', '--force', name]);
    expect(r.code, r.stderr).toBe(0);
    expect(await exists(name)).toBe(false);
    expect(immutable(hooks)).toBe(false);
    expect(existsSync(join(box.coiDir, 'locks', `${name}.json`))).toBe(false);
  });

  it('the supervisor releases its host locks when it is deleted through the Incus API', async () => {
    const ws = box.workspace('killed-api');
    const name = await killedShell(ws);
    const hooks = join(ws, '.git/hooks');
    expect(immutable(hooks)).toBe(true);
    // What `incus delete --force` does: a forced stop, then the DELETE.
    await (await forceDelete(incus, name)).wait();
    await until(() => !immutable(hooks), `the host locks of ${name} released`, 15_000);
    expect(existsSync(join(box.coiDir, 'locks', `${name}.json`))).toBe(false);
  });

  it('the supervisor saves and deletes it when it powers itself off', async () => {
    const ws = box.workspace('killed-poweroff');
    const name = await killedShell(ws);
    await typeLine(name, 'unattended');
    await paneShows(name, /standin: got unattended/);
    await asCode(name, ['sudo', 'poweroff']);
    await until(async () => !(await exists(name)), `the supervisor to end ${name}`);
    expect(immutable(join(ws, '.git/hooks'))).toBe(false);
    const saved = (await listJson(ws)).saved_sessions?.filter((s) => s.Workspace === ws) ?? [];
    expect(saved).toHaveLength(1);
    const state = join(box.coiDir, 'sessions-claude', saved[0]!.ID, '.claude', 'standin-state');
    expect(readFileSync(state, 'utf8')).toBe('unattended\n');
  });
});

describe('saved state on the host', () => {
  it('leaves no lock records behind', () => {
    const locks = join(box.coiDir, 'locks');
    const left = existsSync(locks)
      ? execFileSync('ls', [locks])
          .toString()
          .split('\n')
          .filter((f) => f.endsWith('.json'))
      : [];
    expect(left).toEqual([]);
  });
});
