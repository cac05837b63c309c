import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../../../helpers/run-main.js';

let home: string;
const savedHome = process.env.HOME;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'coi-audit-cli-'));
  process.env.HOME = home;
});

afterEach(() => {
  process.env.HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

describe('coi audit', () => {
  it('says so when a container has no audit records', async () => {
    const dir = join(home, '.coi', 'audit');
    const r = await runMain(['audit', 'coi-abcdef12-1']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`No audit records for coi-abcdef12-1 in ${dir}.\n`);
    // Another container's log is not this one's.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'coi-00000000-1.jsonl'), '');
    expect((await runMain(['audit', 'coi-abcdef12-1'])).stderr).toBe(
      `No audit records for coi-abcdef12-1 in ${dir}.\n`,
    );
    expect((await runMain(['audit'])).stderr).toBe(`No audit records in ${dir}.\n`);
  });

  it('keeps JSON output clean and names its enumerations', async () => {
    expect(await runMain(['audit', 'coi-abcdef12-1', '--json'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect((await runMain(['audit', '--format', 'yaml'])).stderr).toBe(
      'Error: invalid format "yaml" (use text or json)\n',
    );
    expect((await runMain(['audit', '--follow'])).stderr).toBe(
      'Error: --follow requires a container name\n',
    );
  });
});
