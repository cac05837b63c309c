import { describe, expect, it, vi } from 'vitest';
import type * as CommandLine from '../../../../src/security/detectors/command-line.js';
import type * as Credentials from '../../../../src/security/sources/proc-credentials.js';
import type { Detection } from '../../../../src/security/response/responder.js';
import { ContainerWatch } from '../../../../src/security/monitor/container-watch.js';
import type { MonitorSettings } from '../../../../src/security/monitor/settings.js';
import type { ProcessSighting } from '../../../../src/security/sources/processes.js';

const classify = vi.hoisted(() => ({ calls: 0, ownerReads: 0 }));
vi.mock('../../../../src/security/sources/proc-credentials.js', async (importOriginal) => {
  const real = await importOriginal<typeof Credentials>();
  return {
    ...real,
    readProcOwner: (...args: Parameters<typeof Credentials.readProcOwner>) => {
      classify.ownerReads += 1;
      return real.readProcOwner(...args);
    },
  };
});
vi.mock('../../../../src/security/detectors/command-line.js', async (importOriginal) => {
  const real = await importOriginal<typeof CommandLine>();
  return {
    ...real,
    classifyCommandLine: (...args: Parameters<typeof CommandLine.classifyCommandLine>) => {
      classify.calls += 1;
      return real.classifyCommandLine(...args);
    },
  };
});

const SETTINGS = {
  policy: { autoPauseOnHigh: false, autoKillOnCritical: false },
  forensicsOnKill: false,
  commandLine: { oneLiners: 'critical' },
  io: { readMb: 1e6, readRateMbPerSec: 1e6, writeMb: 1e6, writeRateMbPerSec: 1e6 },
  process: { count: 1e6, growthPerSec: 1e6 },
  dnsQueryThreshold: 1e6,
  retentionDays: 1,
  processEvents: true,
  codeUid: 1000,
} as MonitorSettings;

/** A pid no process has: the privilege check finds it gone and reads nothing more. */
const GONE_PID = 2 ** 22 + 1;

function watch() {
  const detections: Detection[] = [];
  const w = new ContainerWatch(
    {
      name: 'coi-unit-watch',
      workspace: '/w',
      initPid: GONE_PID + 100,
      home: '/home/code',
      ipv4: '',
    },
    {
      settings: SETTINGS,
      processIo: () => ({ readBytes: 0, writeBytes: 0 }),
      detect: (d) => detections.push(d),
      onProblem: () => undefined,
    },
  );
  return { w, detections };
}

const sighting = (pid: number, argv: string[]): ProcessSighting => ({
  container: 'coi-unit-watch',
  pid,
  ppid: 1,
  command: argv.join(' '),
  argv,
  ageMs: 0,
});

describe('command lines seen by a container watch', () => {
  it('classifies a quiet command line once, however often a test suite runs it', () => {
    const { w, detections } = watch();
    classify.calls = 0;
    w.onCommand(sighting(GONE_PID, ['sh', '-c', 'test 1 -gt 0']));
    const first = classify.calls;
    expect(first).toBe(2);
    for (let i = 0; i < 5; i++) w.onCommand(sighting(GONE_PID + i, ['sh', '-c', 'test 1 -gt 0']));
    expect(classify.calls).toBe(first);
    // The same words split otherwise are another command line.
    w.onCommand(sighting(GONE_PID, ['sh', '-c', 'test', '1', '-gt', '0']));
    expect(classify.calls).toBe(first + 2);
    expect(detections).toEqual([]);
  });

  it('takes the owner of a process from its exec event when it came with one', () => {
    const { w } = watch();
    classify.ownerReads = 0;
    w.onCommand({ ...sighting(GONE_PID, ['make']), owner: 1001000 });
    expect(classify.ownerReads).toBe(0);
    w.onCommand(sighting(GONE_PID + 1, ['make']));
    expect(classify.ownerReads).toBe(1);
  });

  it('classifies a command line that alerts every time it runs', () => {
    const { w, detections } = watch();
    const grep = ['grep', '-r', 'aws_secret_access_key', '/'];
    // Unrelated processes (parent 1 raised nothing): each one is its own alert.
    w.onCommand(sighting(GONE_PID, grep));
    w.onCommand(sighting(GONE_PID + 1, grep));
    expect(detections.map((d) => d.alert.category)).toEqual([
      'credential_access',
      'credential_access',
    ]);
  });
});
