import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runMain } from '../../../helpers/run-main.js';

let root: string;
let workspace: string;
let file: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coi-trust-cli-'));
  workspace = join(root, 'app');
  file = join(workspace, '.coi', 'config.toml');
  mkdirSync(join(workspace, '.coi'), { recursive: true });
  mkdirSync(join(root, 'home'));
  vi.stubEnv('HOME', join(root, 'home'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

describe('coi trust, untrust, trust --list', () => {
  it('approves the workspace of -w, lists it as `fp12  path`, and untrust revokes it', async () => {
    writeFileSync(file, '[[sockets]]\nhost = "/run/a.sock"\ncontainer = "/run/b.sock"\n');
    const trust = await runMain(['-w', workspace, 'trust']);
    expect(trust.code, trust.stderr).toBe(0);
    expect(trust.stdout).toMatch(
      new RegExp(
        `^Approved ${file} \\(([0-9a-f]{12})\\): sockets\\[0\\] \\(host "/run/a.sock"\\)\\n$`,
      ),
    );
    const fp12 = /\(([0-9a-f]{12})\)/.exec(trust.stdout)![1];
    const again = await runMain(['trust', '-w', workspace, '--json']);
    expect(JSON.parse(again.stdout)).toEqual([
      {
        path: file,
        fingerprint: expect.stringMatching(`^${fp12}[0-9a-f]{52}$`),
        keys: ['sockets[0]'],
      },
    ]);

    const list = await runMain(['trust', '--list']);
    expect(list.stdout).toBe(`${fp12}  ${file}\n`);
    const json = await runMain(['trust', '--list', '--json']);
    const [entry] = JSON.parse(json.stdout) as { path: string; fingerprint: string }[];
    expect(entry).toEqual({ path: file, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(entry!.fingerprint.slice(0, 12)).toBe(fp12);

    const untrust = await runMain(['untrust', '-w', workspace]);
    expect(untrust).toMatchObject({ code: 0, stdout: `Revoked the approval of ${file}\n` });
    expect(await runMain(['trust', '--list'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'No approved workspace files.\n',
    });
    expect((await runMain(['untrust', '-w', workspace])).stderr).toBe(
      `No approvals for ${workspace}.\n`,
    );
  });

  it('says when there is nothing to approve, and exits 2 on an invalid workspace file', async () => {
    writeFileSync(file, '[network]\nrefresh_interval_minutes = 7\n');
    const none = await runMain(['trust', '-w', workspace]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^Nothing to approve: no file in .*\/app\/\.coi asks for/);
    writeFileSync(file, '[[sockets]]\nhost = "/run/a.sock"\ncontainer = "relative"\n');
    const bad = await runMain(['trust', '-w', workspace]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: sockets[0].container`);
  });
});
