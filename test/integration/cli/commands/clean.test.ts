import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyBatch, listCoiTable } from '../../../../src/security/network/index.js';
import { renderGate, renderRemoval } from '../../../../src/security/nft/index.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { run } from '../../../../src/shared/run.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus, launchTestContainer } from '../../../helpers/testbed.js';

/** TEST-NET-1: no container ever holds it, so coi's objects for it are leftovers. */
const DEAD_IP = '192.0.2.77';
const deadChain = DEAD_IP.replaceAll('.', '_');

let sandbox: CoiSandbox;
const veth = `veth${randomBytes(4).toString('hex')}`;
const peer = `coitp${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('');
});

/** Containers of the current test: coi sees every container of the run's prefix. */
const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((name) => deleteTestContainer(name)));
  await run('ip', ['link', 'delete', veth]).catch(() => undefined);
  await applyBatch(renderRemoval(DEAD_IP));
});

afterAll(async () => {
  await sandbox.remove();
});

const exists = async (name: string) =>
  (await incus().get<{ name: string }[]>('/1.0/instances', { recursion: 1 })).some(
    (i) => i.name === name,
  );
const vethExists = () =>
  run('ip', ['link', 'show', veth]).then(
    () => true,
    () => false,
  );
const tableHasDeadIp = async () => ((await listCoiTable()) ?? '').includes(deadChain);

/**
 * A stopped coi container, a saved session, a stale lock, a dead address's rules, a bare veth.
 * The container is persistent so no powered-off session handling touches it before clean does.
 */
async function leaveThingsBehind(box: CoiSandbox, label: string): Promise<string> {
  const stopped = await launchTestContainer(`${workspaceHash(join(box.root, label))}-1`, {
    start: false,
    config: { 'user.coi.persistent': 'true' },
  });
  made.push(stopped);
  const session = join(box.coiDir, 'sessions-claude', '11111111-2222-4333-8444-555555555555');
  mkdirSync(session, { recursive: true });
  writeFileSync(
    join(session, 'metadata.json'),
    JSON.stringify({
      session_id: '11111111-2222-4333-8444-555555555555',
      container_name: stopped,
      persistent: false,
      workspace: box.root,
      saved_at: '2026-11-23T10:00:00.000Z',
      tool: 'claude',
    }),
  );
  mkdirSync(join(box.coiDir, 'locks'), { recursive: true });
  writeFileSync(join(box.coiDir, 'locks', `${box.prefix}gone0000-1.json`), '[]');
  await applyBatch(renderGate(DEAD_IP));
  await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', peer]);
  return stopped;
}

describe('coi clean', () => {
  it('--dry-run --all lists every kind of leftover and changes nothing', async () => {
    const live = await launchTestContainer(`${workspaceHash(sandbox.root)}-3`);
    made.push(live);
    const stopped = await leaveThingsBehind(sandbox, 'dry');
    const liveVeth = (
      await incus().get<{ network: Record<string, { host_name: string }> }>(
        `/1.0/instances/${live}/state`,
      )
    ).network.eth0!.host_name;

    const r = await sandbox.run(['clean', '--all', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Stopped containers (1):\n  - ${stopped}\n`);
    expect(r.stdout).toContain('Saved sessions (1):\n  - 11111111-2222-4333-8444-555555555555\n');
    expect(r.stdout).toContain(
      `Host path locks of gone containers (1):\n    - ${sandbox.prefix}gone0000-1\n`,
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `Firewall rules of addresses no container holds \\(\\d+\\):\\n(    - .*\\n)*    - ${DEAD_IP.replaceAll('.', '\\.')}\\n`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(`Orphaned veth interfaces \\(\\d+\\):\\n(    - .*\\n)*    - ${veth}\\n`),
    );
    expect(r.stdout).not.toContain(liveVeth);
    expect(r.stdout).not.toContain(peer);
    expect(r.stdout).toMatch(/\n\[Dry run\] No changes made\.\n$/);

    expect(await exists(stopped)).toBe(true);
    expect(await exists(live)).toBe(true);
    expect(await vethExists()).toBe(true);
    expect(await tableHasDeadIp()).toBe(true);
    expect(existsSync(join(sandbox.coiDir, 'locks', `${sandbox.prefix}gone0000-1.json`))).toBe(
      true,
    );
    expect(existsSync(join(sandbox.coiDir, 'sessions-claude'))).toBe(true);
  });

  it('--orphans removes only the leftovers and says how many', async () => {
    const box = new CoiSandbox('');
    try {
      const stopped = await leaveThingsBehind(box, 'orphans');
      const r = await box.run(['clean', '--orphans']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Removed the firewall rules of ${DEAD_IP}`);
      expect(r.stderr).toContain(`Removed orphaned veth ${veth}`);
      expect(r.stderr).toMatch(/✓ Cleaned \d+ item\(s\)\n$/);
      expect(await vethExists()).toBe(false);
      expect(await tableHasDeadIp()).toBe(false);
      expect(existsSync(join(box.coiDir, 'locks', `${box.prefix}gone0000-1.json`))).toBe(false);
      // Not leftovers: the stopped container and the saved session stay.
      expect(await exists(stopped)).toBe(true);
      expect(existsSync(join(box.coiDir, 'sessions-claude'))).toBe(true);

      const again = await box.run(['clean', '--orphans', '--dry-run']);
      expect(again.stdout).not.toContain(DEAD_IP);
      expect(again.stdout).not.toContain(veth);
    } finally {
      await box.remove();
    }
  });

  it('--all --force removes stopped containers, sessions and leftovers', async () => {
    const box = new CoiSandbox('');
    try {
      const stopped = await leaveThingsBehind(box, 'all');
      const refused = await box.run(['clean', '--all']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/refusing without --force/);
      expect(await exists(stopped)).toBe(true);

      const r = await box.run(['clean', '--all', '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Deleting container ${stopped}...`);
      expect(await exists(stopped)).toBe(false);
      expect(
        existsSync(join(box.coiDir, 'sessions-claude', '11111111-2222-4333-8444-555555555555')),
      ).toBe(false);
      expect(await vethExists()).toBe(false);
      expect((await box.run(['clean', '--all', '--force'])).stderr).toMatch(
        /Nothing to clean\.\n$/,
      );
    } finally {
      await box.remove();
    }
  });
});

describe('coi clean --pools', () => {
  it('offers coi containers of pools no config or profile refers to, never the pool', async () => {
    const { pool } = (
      await incus().get<{
        devices: Record<string, { type: string; path?: string; pool?: string }>;
      }>('/1.0/profiles/default')
    ).devices.root!;
    // The config points elsewhere, so the default profile's pool is referenced by nothing.
    const box = new CoiSandbox('[container]\nstorage_pool = "coi-test-elsewhere"\n');
    try {
      const live = await launchTestContainer(`${workspaceHash(join(box.root, 'pools'))}-1`);
      made.push(live);
      const dry = await box.run(['clean', '--pools', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`Pool "${pool}" is not referenced by any config or profile`);
      expect(dry.stdout).toContain(`  coi containers in "${pool}" (1):\n    - ${live}\n`);

      // A profile that uses the pool keeps its containers.
      mkdirSync(join(box.coiDir, 'profiles', 'keep'), { recursive: true });
      writeFileSync(
        join(box.coiDir, 'profiles', 'keep', 'config.toml'),
        `[container]\nstorage_pool = "${pool}"\n`,
      );
      const kept = await box.run(['clean', '--pools', '--dry-run']);
      expect(kept.stdout).not.toContain('Pool "');
      expect(kept.stdout).not.toContain(live);
      writeFileSync(join(box.coiDir, 'profiles', 'keep', 'config.toml'), '[container]\nnope = 1\n');
      const broken = await box.run(['clean', '--pools', '--dry-run']);
      expect(broken.stderr).toMatch(
        /Warning: storage pools not checked: profile keep does not load/,
      );
      expect(broken.stdout).not.toContain(live);

      writeFileSync(join(box.coiDir, 'profiles', 'keep', 'config.toml'), '');
      const r = await box.run(['clean', '--pools', '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Deleting container ${live}...`);
      expect(await exists(live)).toBe(false);
      expect((await incus().get<{ name: string }>(`/1.0/storage-pools/${pool}`)).name).toBe(pool);
    } finally {
      await box.remove();
    }
  });
});
