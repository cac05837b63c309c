import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endSession } from '../../../../src/core/session/end.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import { monitorPaths } from '../../../../src/security/monitor/paths.js';
import { COI_KEYS } from '../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const NAME = containerName('/ws/end', 1, 'coi-t-');
const OPTS = { save: false, keepPersistent: false };

let coiDir: string;
beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-end-'));
  // A lock record, so the test sees it released.
  mkdirSync(join(coiDir, 'locks'));
  writeFileSync(join(coiDir, 'locks', `${NAME}.json`), '[]');
});
afterEach(() => rmSync(coiDir, { recursive: true, force: true }));

const lockReleased = () => !existsSync(join(coiDir, 'locks', `${NAME}.json`));

function killRecord(title: string) {
  return new AuditWriter(monitorPaths(coiDir).audit).append({
    container: NAME,
    workspace: '/ws/end',
    level: 'critical',
    category: 'process',
    title,
    description: 'a shell on a socket',
    evidence: { process: { pid: 1, command: 'sh', pattern: 'stdio-socket', indicators: [] } },
    action: 'killed',
    detection_latency_ms: 40,
  });
}

describe('endSession during a threat kill', () => {
  it('leaves the deletion to the responder that marked the container, and waits for it', async () => {
    const incus = new FakeIncus([
      { name: NAME, status: 'Frozen', config: { [COI_KEYS.threatKill]: 'Reverse shell detected' } },
    ]);
    const del = vi.spyOn(incus.instances, 'delete');
    const stop = vi.spyOn(incus.instances, 'stop');
    // The responder still copies it for a moment, deletes it, then writes its record.
    let recorded = false;
    setTimeout(() => incus.instances.all.delete(NAME), 300);
    setTimeout(() => void killRecord('Reverse shell detected').then(() => (recorded = true)), 600);
    const ended = await endSession(incus, NAME, { coiDir, ...OPTS });
    // So that `coi audit` right after shows the kill.
    expect(recorded).toBe(true);
    expect(ended).toEqual({ existed: true, deleted: true, threatKill: 'Reverse shell detected' });
    expect(del).not.toHaveBeenCalled();
    expect(stop).not.toHaveBeenCalled();
    expect(lockReleased()).toBe(true);
  });

  it('reports a threat kill recorded since the session began when the container is gone', async () => {
    const incus = new FakeIncus();
    const startedAtMs = Date.now();
    await killRecord('Reverse shell detected');
    const ended = await endSession(incus, NAME, { coiDir, ...OPTS, startedAtMs });
    expect(ended).toEqual({ existed: false, deleted: false, threatKill: 'Reverse shell detected' });
    expect(lockReleased()).toBe(true);
  });

  it('does not take a kill of an earlier container of the same name for this one', async () => {
    const incus = new FakeIncus();
    await killRecord('Reverse shell detected');
    const ended = await endSession(incus, NAME, { coiDir, ...OPTS, startedAtMs: Date.now() + 1 });
    expect(ended).toEqual({ existed: false, deleted: false });
  });

  it('deletes an unmarked container itself', async () => {
    const incus = new FakeIncus([{ name: NAME, status: 'Running', config: {} }]);
    const ended = await endSession(incus, NAME, { coiDir, ...OPTS, startedAtMs: Date.now() });
    expect(ended).toEqual({ existed: true, deleted: true });
    expect(incus.instances.all.has(NAME)).toBe(false);
  });
});
