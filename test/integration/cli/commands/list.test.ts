import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { launchTestContainer, TEST_PREFIX } from '../../../helpers/testbed.js';

let sandbox: CoiSandbox;
let running: string;
let stopped: string;

interface Listed {
  active_containers: Record<string, unknown>[];
}

beforeAll(async () => {
  ensureBuilt();
  sandbox = new CoiSandbox('');
  // Named as coi names session containers, so `coi list` sees them; the stopped one persistent.
  const hash = workspaceHash(sandbox.root);
  [running, stopped] = await Promise.all([
    launchTestContainer(`${hash}-1`, { config: { 'user.coi.workspace': sandbox.root } }),
    launchTestContainer(`${hash}-2`, {
      start: false,
      config: { 'user.coi.workspace': sandbox.root, 'user.coi.persistent': 'true' },
    }),
  ]);
  expect(running.startsWith(TEST_PREFIX)).toBe(true);
});

afterAll(async () => {
  await sandbox.remove();
});

const names = (json: string) =>
  (JSON.parse(json) as Listed).active_containers.map((c) => c.name as string).sort();

describe('coi list filters', () => {
  it('lists every container with upstream’s JSON keys, alias and published ports included', async () => {
    const r = await sandbox.run(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout)).toEqual([running, stopped]);
    const entry = (JSON.parse(r.stdout) as Listed).active_containers.find(
      (c) => c.name === stopped,
    );
    expect(entry).toMatchObject({
      status: 'Stopped',
      persistent: true,
      alias: '',
      published_ports: [],
      workspace: sandbox.root,
    });
    for (const key of ['name', 'status', 'created_at', 'image', 'ipv4', 'pool'])
      expect(entry, key).toHaveProperty(key);
  });

  it('--running, --stopped and --status narrow the containers', async () => {
    expect(names((await sandbox.run(['list', '--running', '--json'])).stdout)).toEqual([running]);
    expect(names((await sandbox.run(['list', '--status', 'STOPPED', '--json'])).stdout)).toEqual([
      stopped,
    ]);
    const text = await sandbox.run(['list', '--stopped']);
    expect(text.stdout).toMatch(/^Stopped Containers:\n/);
    expect(text.stdout).toContain(`  ${stopped} (persistent)`);
    expect(text.stdout).not.toContain(running);
    const frozen = await sandbox.run(['list', '--status', 'frozen']);
    expect(frozen.stdout).toBe('Frozen Containers:\n  (none)\n');
  });

  it('refuses two filters or an unknown status with exit 2', async () => {
    const both = await sandbox.run(['list', '--running', '--stopped']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--running, --stopped and --status are mutually exclusive/);
    const pair = await sandbox.run(['list', '--running', '--status', 'running']);
    expect(pair.code).toBe(2);
    const bad = await sandbox.run(['list', '--status', 'sleeping']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid status "sleeping" \(use one of running, stopped, frozen/);
    expect(bad.stdout).toBe('');
  });
});
