import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecEvent } from '../../../../src/security/sources/exec-event-parse.js';
import {
  ExecEventSource,
  processStartsSummary,
} from '../../../../src/security/sources/exec-events.js';

/** A stand-in for perl: a shell script that ignores the script path and prints what perl would. */
let dir: string;
let source: ExecEventSource | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-exec-events-'));
});
afterEach(() => {
  source?.stop();
  source = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function fakePerl(body: string): string {
  const path = join(dir, 'perl');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const EXEC_LINE =
  '{"ts":1000000,"pid":7,"ppid":1,"uid":0,"start":100,"container":"c1","exe":"/bin/sh","argv":["sh"]}';

function start(perl: string) {
  const execs: ExecEvent[] = [];
  const failures: string[] = [];
  source = new ExecEventSource({
    perl,
    onExec: (e) => execs.push(e),
    onFailed: (why) => failures.push(why),
  });
  return { source, execs, failures, started: source.start() };
}

describe('the exec event source', () => {
  it('listens once subscribed, and hands over every exec line, even one split across writes', async () => {
    const perl = fakePerl(
      `echo '{"ready":true,"filtered":true}'; printf '%s' '${EXEC_LINE.slice(0, 30)}'; sleep 0.1; ` +
        `echo '${EXEC_LINE.slice(30)}'; echo '{"lost":true}'; exec sleep 30`,
    );
    const s = start(perl);
    expect(await s.started).toBe(true);
    expect(s.source.stats).toMatchObject({
      state: 'events',
      detail: 'kernel-filtered exec events',
    });
    await vi.waitFor(() => expect(s.execs).toHaveLength(1));
    expect(s.execs[0]).toMatchObject({ pid: 7, container: 'c1', argv: ['sh'] });
    await vi.waitFor(() => expect(s.source.stats).toMatchObject({ execs: 1, lost: 1 }));
  });

  it('fails to start with the reason perl gave, e.g. without CAP_NET_ADMIN', async () => {
    const s = start(
      fakePerl("echo 'binding to the process-events group: Operation not permitted' >&2; exit 13"),
    );
    expect(await s.started).toBe(false);
    expect(s.source.stats).toMatchObject({
      state: 'failed',
      detail: 'binding to the process-events group: Operation not permitted',
    });
  });

  it('fails to start when there is no perl to run', async () => {
    const s = start(join(dir, 'no-such-perl'));
    expect(await s.started).toBe(false);
    expect(s.source.stats.detail).toMatch(/^cannot run .*no-such-perl: .*ENOENT/);
  });

  it('reports a listener that dies after it started, but not one it stopped itself', async () => {
    const s = start(
      fakePerl(`echo '{"ready":true,"filtered":false}'; sleep 0.2; echo gone >&2; exit 1`),
    );
    expect(await s.started).toBe(true);
    expect(s.source.stats.detail).toBe('all process events');
    await vi.waitFor(() => expect(s.failures).toEqual(['gone']));
    expect(s.source.stats).toMatchObject({ state: 'failed', detail: 'stopped: gone' });

    const quiet = start(fakePerl(`echo '{"ready":true,"filtered":true}'; exec sleep 30`));
    expect(await quiet.started).toBe(true);
    quiet.source.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(quiet.failures).toEqual([]);
  });
});

describe('how status displays say processes are found', () => {
  it('names the events, or the poll and why, and what the poll may miss', () => {
    expect(
      processStartsSummary({
        state: 'events',
        detail: 'kernel-filtered exec events',
        execs: 3,
        lost: 0,
      }),
    ).toBe('process starts by kernel event (kernel-filtered exec events)');
    expect(
      processStartsSummary({
        state: 'failed',
        detail: 'cannot run perl: ENOENT',
        execs: 0,
        lost: 0,
      }),
    ).toBe(
      'process starts by /proc poll only (no kernel events: cannot run perl: ENOENT); ' +
        'a process shorter than the 100 ms poll may be missed',
    );
    expect(
      processStartsSummary({
        state: 'off',
        detail: '[monitoring] process_events = false',
        execs: 0,
        lost: 0,
      }),
    ).toMatch(/^process starts by \/proc poll only \(\[monitoring\] process_events = false\)/);
  });
});
