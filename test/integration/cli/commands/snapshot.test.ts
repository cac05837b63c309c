import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { launchTestContainer, TEST_PREFIX } from '../../../helpers/testbed.js';

let sandbox: CoiSandbox;
let workspace: string;
let name: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = new CoiSandbox('');
  workspace = sandbox.workspace('ws');
  // Named like a coi container of the workspace, so it is found without --container.
  name = await launchTestContainer(`${workspaceHash(workspace)}-1`);
  expect(name.startsWith(TEST_PREFIX)).toBe(true);
});

afterAll(async () => {
  await sandbox.remove();
});

const coi = (args: string[], env: Record<string, string> = {}) =>
  sandbox.run(args, { cwd: workspace, env });
/** Runs a command that must succeed; a failure shows its stderr. */
async function ok(args: string[], env: Record<string, string> = {}) {
  const r = await coi(args, env);
  expect(r.code, `coi ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

describe('coi snapshot', () => {
  it('creates with an automatic name and lists it, found through the workspace', async () => {
    const created = await coi(['snapshot', 'create']);
    expect(created.stderr).toMatch(/Created snapshot 'snap-\d{8}-\d{6}' for container '/);
    expect(created.code).toBe(0);
    const listed = await coi(['snapshot', 'list', '--format', 'json']);
    expect(listed.code).toBe(0);
    const body = JSON.parse(listed.stdout) as { container: string; snapshots: { name: string }[] };
    expect(body.container).toBe(name);
    expect(body.snapshots.map((s) => s.name)).toEqual([
      expect.stringMatching(/^snap-\d{8}-\d{6}$/),
    ]);
  });

  it('shows info, refuses a restore while running, restores once stopped', async () => {
    await sandbox.run(['container', 'exec', name, '--', 'sh', '-c', 'echo v1 > /root/marker']);
    await ok(['snapshot', 'create', 'before']);
    await sandbox.run(['container', 'exec', name, '--', 'sh', '-c', 'echo v2 > /root/marker']);

    const info = await coi(['snapshot', 'info', 'before', '--json']);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      name: 'before',
      container: name,
      stateful: false,
    });

    const refused = await coi(['snapshot', 'restore', 'before', '-f']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is running: stop it first/);

    await ok(['container', 'stop', name, '--force']);
    await ok(['snapshot', 'restore', 'before', '-f'], { COI_CONTAINER: name });
    await ok(['container', 'start', name]);
    const marker = await sandbox.run(['container', 'exec', name, '--', 'cat', '/root/marker']);
    expect(marker.stdout).toBe('v1\n');
  });

  it('deletes one snapshot and then all of them', async () => {
    await ok(['snapshot', 'delete', 'before']);
    await ok(['snapshot', 'create', 'another', '-c', name]);
    await ok(['snapshot', 'delete', '--all', '-f']);
    const listed = await ok(['snapshot', 'list', '--json']);
    expect(JSON.parse(listed.stdout).snapshots).toEqual([]);
  });

  it('reports errors with the documented exit codes', async () => {
    const missing = await coi(['snapshot', 'info', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no snapshot "nope"/);
    expect((await coi(['snapshot', 'restore', 'nope', '-f'])).code).toBe(1);
    expect((await coi(['snapshot', 'delete', 'nope'])).code).toBe(1);
    const noContainer = await coi(['snapshot', 'list', '-c', `${TEST_PREFIX}does-not-exist`]);
    expect(noContainer.code).toBe(1);
    expect(noContainer.stderr).toMatch(/does not exist/);
    const elsewhere = await sandbox.run(['snapshot', 'list'], { cwd: sandbox.root });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/no coi container belongs to workspace/);
    expect(elsewhere.stderr).toContain(name);
    expect((await coi(['snapshot', 'list', '--format', 'yaml'])).code).toBe(2);
    expect((await coi(['snapshot', 'delete'])).code).toBe(2);
    expect((await coi(['snapshot', 'restore'])).code).toBe(2);
  });
});
