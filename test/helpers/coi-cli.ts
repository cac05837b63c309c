import { ask } from '../../src/security/monitor/singleton.js';
import { monitorPaths } from '../../src/security/monitor/paths.js';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import pty from 'node-pty';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TEST_PREFIX } from './testbed.js';

/**
 * Drives the real `coi` CLI (`node bin/coi.js`) as a child process, with HOME pointed at a
 * throw-away directory (its ~/.coi/config.toml is the test's config) and COI_CONTAINER_PREFIX set
 * to this run's test prefix, so every container it makes is found by the leak check.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'coi.js');

export interface CoiResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CoiOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to stdin, then EOF; without it stdin is /dev/null. */
  input?: string;
  timeoutMs?: number;
  /** Called with everything printed so far on stdout, e.g. to signal the CLI at a given point. */
  onStdout?: (stdout: string, child: ChildProcess) => void;
}

export interface CoiTerminal {
  term: pty.IPty;
  /** The exit code once the CLI ended. */
  exited: Promise<number>;
  /** Resolves once the screen output matches; throws after 30 s. */
  seen(pattern: RegExp): Promise<void>;
  screen(): string;
}

/** A temp HOME with a ~/.coi/config.toml, and workspaces under a temp dir. */
export class CoiSandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'coi-session-test-'));
  readonly home = join(this.root, 'home');
  readonly coiDir = join(this.home, '.coi');
  readonly prefix = TEST_PREFIX;

  constructor(config: string) {
    chmodSync(this.root, 0o755);
    mkdirSync(this.coiDir, { recursive: true });
    this.writeConfigSync(config);
  }

  writeConfigSync(config: string): void {
    writeFileSync(join(this.coiDir, 'config.toml'), config);
  }

  writeConfig(config: string): Promise<void> {
    return writeFile(join(this.coiDir, 'config.toml'), config);
  }

  /** A fresh workspace directory, owned by whoever runs the tests unless `uid` is given. */
  workspace(name: string, uid?: number): string {
    const dir = join(this.root, name);
    mkdirSync(dir);
    if (uid !== undefined) chownSync(dir, uid, uid);
    return dir;
  }

  run(args: string[], opts: CoiOptions = {}): Promise<CoiResult> {
    return runCoi(args, {
      ...opts,
      env: {
        HOME: this.home,
        COI_CONTAINER_PREFIX: this.prefix,
        COI_DEBUG: '1',
        ...opts.env,
      },
    });
  }

  /** The CLI on a real pseudo-terminal, as a user at a terminal runs it. */
  terminal(args: string[], cwd: string): CoiTerminal {
    const term = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: this.home, COI_CONTAINER_PREFIX: this.prefix },
    });
    let screen = '';
    term.onData((d) => (screen += d));
    const exited = new Promise<number>((resolve) =>
      term.onExit(({ exitCode }) => resolve(exitCode)),
    );
    const seen = async (pattern: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(screen)) {
        if (Date.now() > deadline) throw new Error(`never saw ${pattern}; screen:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    return { term, exited, seen, screen: () => screen };
  }

  /** Unlocks whatever a failed test left immutable, stops its monitor daemon, removes everything. */
  async remove(): Promise<void> {
    const status = await ask(monitorPaths(this.coiDir).socket, 'status');
    if (status) process.kill((JSON.parse(status) as { pid: number }).pid, 'SIGTERM');
    try {
      execFileSync('chattr', ['-R', '-i', this.root], { stdio: 'ignore' });
    } catch {
      // chattr exits non-zero on entries without the attribute (sockets, symlinks): harmless.
    }
    await rm(this.root, { recursive: true, force: true });
  }
}

export function runCoi(args: string[], opts: CoiOptions = {}): Promise<CoiResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TERM: 'dumb', ...opts.env };
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/**
 * One sandbox for a test file: made (dist/ built first) before its tests, its containers killed
 * and its files removed after them. `onReady` hands it to the file.
 */
export function sandboxForFile(config: string, onReady: (box: CoiSandbox) => void): void {
  let box: CoiSandbox | undefined;
  beforeAll(() => {
    ensureBuilt();
    box = new CoiSandbox(config);
    onReady(box);
  });
  afterAll(async () => {
    await box?.run(['kill', '--all', '--force']);
    await box?.remove();
  });
}

/**
 * Builds dist/ (tsc, then the start-up bundle) when a source file is newer than the bundle, which
 * the build writes last: the tests run the compiled CLI.
 */
export function ensureBuilt(): void {
  const built = join(ROOT, 'dist', 'start-up.cjs');
  const builtAt = (() => {
    try {
      return statSync(built).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (newestMtime(join(ROOT, 'src')) <= builtAt) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
