import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { hostTimezone } from '../../../../src/core/session/timezone.js';
import { CoiSandbox, sandboxForFile } from '../../../helpers/coi-cli.js';
import { incus } from '../../../helpers/testbed.js';

/** `coi run` and the CLI's exit codes, through the real CLI on real containers. */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[defaults]
forward_env = ["COI_TEST_FORWARDED"]

[defaults.environment]
COI_TEST_FIXED = "from-config"
`;

let box: CoiSandbox;
let uniq = 0;

sandboxForFile(CONFIG, (b) => (box = b));

/** Names of the live containers of a workspace (any prefix-matching slot). */
async function containersOf(workspace: string): Promise<string[]> {
  const names = (await incus().get<string[]>('/1.0/instances')).map((u) => u.split('/').pop()!);
  return names.filter((n) => n.startsWith(`${box.prefix}${workspaceHash(workspace)}-`));
}

describe('coi run', () => {
  it('exits with the command code, leaves no container, and files keep the host owner', async () => {
    const ws = box.workspace('run-exit');
    const r = await box.run(['run', 'hostname; touch /workspace/made-inside; exit 7'], { cwd: ws });
    expect(r.code, r.stderr).toBe(7);
    // COI_CONTAINER_PREFIX is the name's prefix; the hash is of the unresolved absolute path.
    expect(r.stdout.trim()).toBe(`${box.prefix}${workspaceHash(ws)}-1`);
    expect(statSync(join(ws, 'made-inside')).uid).toBe(statSync(ws).uid);
    expect(await containersOf(ws)).toEqual([]);
  });

  it('maps the code user onto a workspace owner other than 1000', async () => {
    const ws = box.workspace('run-uid', 1500);
    const r = await box.run(['run', 'id -u; echo $HOME; touch /workspace/mine'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['1500', '/home/code']);
    expect(statSync(join(ws, 'mine')).uid).toBe(1500);
  });

  it("runs the command with the code user's groups (docker's socket without sudo)", async () => {
    const ws = box.workspace('run-groups');
    mkdirSync(join(ws, '.coi'));
    writeFileSync(join(ws, '.coi', 'config.toml'), '[container]\npersistent = true\n');
    const joined = await box.run(['run', 'sudo usermod -aG adm code'], { cwd: ws });
    expect(joined.code, joined.stderr).toBe(0);
    // Incus gives an exec's user no supplementary groups; the next run has the new one.
    const r = await box.run(['run', 'id -nG'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('code adm');
    const name = `${box.prefix}${workspaceHash(ws)}-1`;
    expect((await box.run(['container', 'delete', name, '--force'])).code).toBe(0);
  });

  it('passes no host environment unless configured, and streams stdin through', async () => {
    const ws = box.workspace('run-env');
    const r = await box.run(
      [
        'run',
        '--env',
        'COI_TEST_FLAG=flag',
        'echo "[$COI_TEST_SECRET][$COI_TEST_FORWARDED][$COI_TEST_FIXED][$COI_TEST_FLAG][$IS_SANDBOX][$TZ]"; cat',
      ],
      {
        cwd: ws,
        env: { COI_TEST_SECRET: 'leak', COI_TEST_FORWARDED: 'forwarded' },
        input: 'piped line\n',
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`[][forwarded][from-config][flag][1][${hostTimezone()}]\npiped line\n`);
  });

  it('mounts the protected paths read-only, creating them first, and unlocks them after', async () => {
    const ws = box.workspace('run-protect');
    const r = await box.run(
      [
        'run',
        'echo evil > /workspace/.git/hooks/pre-commit; echo "hooks=$?"; echo x >> /workspace/.git/config; echo "config=$?"; ' +
          'git config --system --get user.useConfigOnly; echo ok > /workspace/writable && echo writable',
      ],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hooks=1');
    expect(r.stdout).toContain('config=1');
    expect(r.stdout).toContain('true\nwritable');
    expect(existsSync(join(ws, '.git/hooks/pre-commit'))).toBe(false);
    expect(statSync(join(ws, '.git/hooks')).isDirectory()).toBe(true);
    // The host-side immutable bit is gone once the session is over.
    expect(execFileSync('lsattr', ['-d', join(ws, '.git/hooks')]).toString()).not.toMatch(/^\S*i/);
  });

  it('passes Ctrl-C on to the command, exits 130 and still deletes the container', async () => {
    const ws = box.workspace('run-signal');
    let sent = false;
    const r = await box.run(['run', 'echo started; sleep 60'], {
      cwd: ws,
      onStdout: (out, child) => {
        if (!sent && out.includes('started')) sent = child.kill('SIGINT');
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(await containersOf(ws)).toEqual([]);
  });

  it('gives concurrent launches of one workspace distinct slots', async () => {
    const ws = box.workspace('run-race');
    const runs = await Promise.all(
      [1, 2, 3].map(() => box.run(['run', 'hostname; sleep 1'], { cwd: ws })),
    );
    for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(0);
    const names = runs.map((r) => r.stdout.trim()).sort();
    expect(new Set(names).size).toBe(3);
    expect(names.every((n) => n.startsWith(`${box.prefix}${workspaceHash(ws)}-`))).toBe(true);
  });
});

/** Several words are the exact argv; one word is a shell command line. Both run in a login shell. */
describe('coi run: the words of the command', () => {
  /** Runs each `coi run` of `cases` (args after `run`) in its own workspace, all at once. */
  const runAll = (cases: string[][], opts: { input?: string } = {}) =>
    Promise.all(
      cases.map((args, i) =>
        box.run(['run', ...args], { cwd: box.workspace(`words-${uniq++}-${i}`), ...opts }),
      ),
    );

  it('passes on the exit code: after --, without it, and as a command line', async () => {
    const [dashed, bare, line] = await runAll([
      ['--', 'sh', '-c', 'exit 42'],
      ['sh', '-c', 'exit 43'],
      ['exit 44'],
    ]);
    expect(dashed!.code, dashed!.stderr).toBe(42);
    expect(bare!.code, bare!.stderr).toBe(43);
    expect(line!.code, line!.stderr).toBe(44);
  });

  it('keeps pipes, quotes and $VAR where the shell that gets them puts them', async () => {
    const [pipe, words, literal, line] = await runAll([
      ['--', 'sh', '-c', 'echo hello | tr a-z A-Z'],
      ['--', 'printf', '[%s]', 'a b', "it's", '"q"', ''],
      ['--', 'echo', '$HOME', '*', '|', 'cat'],
      [`printf '[%s]' "a b" "$HOME" | tr a-z A-Z; echo`],
    ]);
    expect(pipe).toMatchObject({ code: 0, stdout: 'HELLO\n' });
    expect(words).toMatchObject({ code: 0, stdout: `[a b][it's]["q"][]` });
    // No shell sees an argv: $HOME, * and | are plain words.
    expect(literal).toMatchObject({ code: 0, stdout: '$HOME * | cat\n' });
    expect(line).toMatchObject({ code: 0, stdout: '[A B][/HOME/CODE]\n' });
  });

  it('runs a multi-line script, given as a command line or to a shell with its arguments', async () => {
    const script = 'n=0\nfor w in a b c; do\n  n=$((n + 1))\ndone\necho "n=$n"\nexit 5';
    const loop = 'for w in "$@"; do\n  echo "[$w]"\ndone\nexit 6';
    const [line, argv] = await runAll([[script], ['--', 'bash', '-c', loop, 'bash', 'a b', 'c']]);
    expect(line).toMatchObject({ code: 5, stdout: 'n=3\n' });
    expect(argv).toMatchObject({ code: 6, stdout: '[a b]\n[c]\n' });
  });

  it('gives both forms the -e/--env variables, stdin and the login PATH', async () => {
    const env = ['-e', 'COI_A=1', '--env', 'COI_B=x y=z'];
    const [argv, line] = await runAll(
      [
        [...env, '--', 'sh', '-c', 'echo "$COI_A|$COI_B|$PATH"; cat'],
        [...env, 'echo "$COI_A|$COI_B|$PATH"; cat'],
      ],
      { input: 'piped\n' },
    );
    expect(argv!.code, argv!.stderr).toBe(0);
    expect(argv!.stdout).toMatch(/^1\|x y=z\|\S+\npiped\n$/);
    expect(line!.stdout).toBe(argv!.stdout);
  });

  it('takes the global flags before the command: -w, --slot and --profile', async () => {
    const ws = box.workspace('global-flags');
    const profile = join(box.coiDir, 'profiles', 'greeter');
    mkdirSync(profile, { recursive: true });
    writeFileSync(join(profile, 'config.toml'), '[defaults.environment]\nCOI_GREETING = "hi"\n');
    const r = await box.run(
      ['-w', ws, '--slot', '2', '--profile', 'greeter', 'run', 'hostname; echo "$COI_GREETING"'],
      { cwd: box.root },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${box.prefix}${workspaceHash(ws)}-2\nhi\n`);
  });
});

describe('coi clean', () => {
  it('unlocks the protected paths of sessions whose container is gone', async () => {
    const ws = box.workspace('stale-lock');
    const hooks = join(ws, '.git', 'hooks');
    mkdirSync(hooks, { recursive: true });
    execFileSync('chattr', ['+i', hooks]);
    mkdirSync(join(box.coiDir, 'locks'), { recursive: true });
    writeFileSync(
      join(box.coiDir, 'locks', `${box.prefix}00000000-1.json`),
      JSON.stringify([hooks]),
    );
    const r = await box.run(['clean', '--force'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Cleaned 1 item(s)');
    expect(execFileSync('lsattr', ['-d', hooks]).toString()).not.toMatch(/^\S*i/);
  });
});

describe('exit codes', () => {
  it('a bad config exits 2, names file and key, and creates no container', async () => {
    const bad = new CoiSandbox('[network]\nmode = "wide-open"\n');
    try {
      const ws = bad.workspace('bad-config');
      const r = await bad.run(['run', 'true'], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('~/.coi/config.toml');
      expect(r.stderr).toContain('network.mode');
      expect(await containersOf(ws)).toEqual([]);
    } finally {
      await bad.remove();
    }
  });

  it('a failing env_command stops the launch before any container exists', async () => {
    const failing = new CoiSandbox('[defaults.env_commands]\nBROKEN = "exit 3"\n');
    try {
      const ws = failing.workspace('env-command');
      const r = await failing.run(['run', 'true'], { cwd: ws });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('defaults.env_commands.BROKEN');
      expect(await containersOf(ws)).toEqual([]);
    } finally {
      await failing.remove();
    }
  });

  it('usage errors exit 2 and --help exits 0 on every command', async () => {
    expect((await box.run(['run'])).code).toBe(2);
    expect((await box.run(['run', '--slot', '11', 'true'])).code).toBe(2);
    expect((await box.run(['no-such-command'])).code).toBe(2);
    expect((await box.run(['list', '--format', 'yaml'])).code).toBe(2);
    const commands = [
      'shell',
      'run',
      'attach',
      'list',
      'shutdown',
      'kill',
      'clean',
      'persist',
      'unfreeze',
      'version',
    ];
    const helps = await Promise.all(commands.map((cmd) => box.run([cmd, '--help'])));
    helps.forEach((help, i) => {
      expect(help.code, commands[i]).toBe(0);
      expect(help.stdout).toContain(`Usage: coi ${commands[i]}`);
    });
    expect((await box.run(['kill'])).code).toBe(2);
    const shell = await box.run(['shell']);
    expect(shell.code).toBe(2);
    expect(shell.stderr).toContain('--background');
  });
});
