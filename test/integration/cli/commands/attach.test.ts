import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt, type CoiOptions } from '../../../helpers/coi-cli.js';

/** `coi attach` without a terminal: choosing works, only the attach itself needs one. */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;
let prefix: string;

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  // A prefix of this file's own: `--all` and the listing see only its containers.
  prefix = `${box.prefix}at-`;
});

afterAll(async () => {
  await coi(['kill', '--all', '--force']);
  await box?.remove();
});

const coi = (args: string[], opts: CoiOptions = {}) =>
  box.run(args, { ...opts, env: { COI_CONTAINER_PREFIX: prefix, ...opts.env } });

describe('coi attach without a terminal', () => {
  it('says there is no session, then lists several, and needs a terminal only to attach', async () => {
    const none = await coi(['attach']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No active sessions');

    const ws = box.workspace('two');
    const started = await Promise.all(
      ['1', '2'].map((slot) => coi(['shell', '--background', '--slot', slot], { cwd: ws })),
    );
    for (const r of started) expect(r.code, r.stderr).toBe(0);
    const [first, second] = ['1', '2'].map((slot) => `${prefix}${workspaceHash(ws)}-${slot}`);

    const listed = await coi(['attach'], { cwd: ws });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(
      'Active sessions:\n' +
        `  1. ${first}  (slot 1, ${ws})\n` +
        `  2. ${second}  (slot 2, ${ws})\n` +
        '\nUse: coi attach <container-name>\n',
    );

    for (const args of [
      ['attach', second!],
      ['attach', '--slot', '2'],
      ['--slot', '2', 'attach'],
    ]) {
      const named = await coi(args, { cwd: ws });
      expect(named.code, args.join(' ')).toBe(2);
      expect(named.stderr).toContain(`coi attach needs a terminal to attach to ${second}`);
    }

    const missing = await coi(['attach', `${prefix}00000000-1`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`container ${prefix}00000000-1 not found or not running`);
  });
});
