import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/core/config/index.js';
import { recordedMonitoring } from '../../../../src/core/policy/monitor-settings.js';
import { TITLES } from '../../../../src/security/alert.js';
import { coiKeysConfig, readCoiKeys } from '../../../../src/shared/instance-keys.js';
import type { MonitorBed } from '../../../helpers/monitor-bed.js';
import { attackerPort, monitorBedForFile } from '../../../helpers/monitor-bed.js';

/**
 * The detectors that watch a container from the host without a command line to judge: its
 * process count (fork bombs), its sensitive files, and the thresholds its launch recorded.
 */

let bed: MonitorBed;
monitorBedForFile(attackerPort(), (b) => (bed = b));

const CODE = 1000;

/** Runs a command to its end (unlike bed.fire). */
async function run(container: string, script: string, user = CODE): Promise<void> {
  await bed.incus.exec.run(container, ['sh', '-c', script], { user, group: user });
}

describe('fork bombs', () => {
  it('leaves a burst of short processes at info, then pauses a growing swarm of sleepers', async () => {
    const c = await bed.launch('fork-bomb');
    // A test runner's pattern: hundreds of short processes, a few dozen at a time, and sudo.
    await run(
      c.name,
      'for i in $(seq 300); do /bin/true; done; ' +
        'for i in $(seq 30); do sleep 0.3 & done; wait; sudo -n true',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await bed.records(c.name)).filter((r) => r.level !== 'info')).toEqual([]);
    expect(await bed.status(c.name)).toBe('Running');

    // Bounded: 400 sleepers, gone with the container.
    bed.fire(c.name, ['sh', '-c', 'for i in $(seq 400); do sleep 60 & done; wait'], CODE);
    const record = await bed.waitForRecord(c.name, (r) => r.title === TITLES.spawnRate);
    expect(record.level).toBe('high');
    expect(record.action).toBe('paused');
    expect(record.category).toBe('process');
    expect(record.evidence).toMatchObject({ process_count: { growth_threshold_per_sec: 100 } });
    await bed.waitForStatus(c.name, 'Frozen');
  });
});

describe('sensitive files', () => {
  it('kills a container whose /etc/shadow is written', async () => {
    const c = await bed.launch('shadow-write');
    const watch = await bed.daemon.watchOf(c.name);
    await expect.poll(() => watch.sensitiveFilesReady(), { timeout: 15_000 }).toContain('/etc');
    bed.fire(c.name, ['sh', '-c', 'echo "evil:x:19000:0:99999:7:::" >> /etc/shadow'], 0);
    const record = await bed.waitForRecord(c.name, (r) => r.title === TITLES.sensitiveWrite);
    expect(record.level).toBe('critical');
    expect(record.action).toBe('killed');
    expect(record.evidence).toMatchObject({ sensitive_file: { path: '/etc/shadow' } });
    await bed.waitForStatus(c.name, undefined);
  });

  it('kills a container whose /etc/shadow is written under a running sudo', async () => {
    const c = await bed.launch('shadow-sudo');
    const watch = await bed.daemon.watchOf(c.name);
    await expect.poll(() => watch.sensitiveFilesReady(), { timeout: 15_000 }).toContain('/etc');
    // sudo stays the shell's parent while it writes: it reads the account files, never writes them.
    const script = `echo "evil:x:19001:0:99999:7:::" >> /etc/shadow; sleep 5`;
    bed.fire(c.name, ['sudo', '-n', 'sh', '-c', script], CODE);
    const record = await bed.waitForRecord(c.name, (r) => r.title === TITLES.sensitiveWrite);
    expect(record.level).toBe('critical');
    expect(record.action).toBe('killed');
    await bed.waitForStatus(c.name, undefined);
  });

  it("takes an account program's writes for routine, also once it is gone", async () => {
    const c = await bed.launch('shadow-usermod');
    const watch = await bed.daemon.watchOf(c.name);
    await expect.poll(() => watch.sensitiveFilesReady(), { timeout: 15_000 }).toContain('/etc');
    // The shadow write comes after groupadd exited, as usermod's own can be read after it
    // exited under load: the exec, seen moments before, is the evidence.
    await run(
      c.name,
      'groupadd coi-probe && cat /etc/shadow > /tmp/s && cat /tmp/s > /etc/shadow',
      0,
    );
    const writes = () =>
      bed.records(c.name).then((all) => all.filter((r) => r.title === TITLES.sensitiveWrite));
    const shadowWritten = async () =>
      (await writes()).some((r) => JSON.stringify(r.evidence).includes('/etc/shadow'));
    await expect.poll(shadowWritten, { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(new Set((await writes()).map((r) => r.level))).toEqual(new Set(['warning']));
    expect(await bed.status(c.name)).toBe('Running');
  });
});

describe('per-workspace thresholds', () => {
  it("applies the process count a profile's [monitoring] set, recorded on the container", async () => {
    const profileDir = join(bed.home, '.coi', 'profiles', 'strict');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(
      join(profileDir, 'config.toml'),
      '[monitoring]\nprocess_count_threshold = 40\nprocess_spawn_rate_threshold = 0\n',
    );
    const cwd = join(bed.home, 'workspace');
    mkdirSync(cwd);
    const { config } = loadConfig({ cwd, home: bed.home, env: {}, profile: 'strict' });
    expect(bed.settings.process.count).toBe(0);
    const c = await bed.launch(
      'ws-threshold',
      coiKeysConfig({ monitoring: recordedMonitoring(config) }),
    );
    const { value } = await bed.incus.instances.get(c.name);
    expect(readCoiKeys(value.config).monitoring).toMatchObject({
      process_count_threshold: 40,
      process_spawn_rate_threshold: 0,
    });
    expect((await bed.daemon.watchOf(c.name)).settings.process).toEqual({
      count: 40,
      growthPerSec: 0,
    });
    // Slowly, so only the count can trip: the daemon's own settings would not alert at all.
    bed.fire(c.name, ['sh', '-c', 'for i in $(seq 60); do sleep 60 & sleep 0.03; done; wait']);
    const record = await bed.waitForRecord(c.name, (r) => r.title === TITLES.processCount);
    expect(record.level).toBe('critical');
    expect(record.action).toBe('killed');
    expect(record.evidence).toMatchObject({ process_count: { count_threshold: 40 } });
    await bed.waitForStatus(c.name, undefined);
  });
});
