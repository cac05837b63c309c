import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function fakeReader(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const fakePerl = (body: string) => fakeReader('perl', body);

const EXEC_LINE =
  '{"ts":1000000,"pid":7,"ppid":1,"uid":0,"start":100,"container":"c1","exe":"/bin/sh","argv":["sh"]}';

/** `compiled`: the compiled reader's path; by default one that does not exist (perl runs). */
function start(perl: string, compiled = join(dir, 'no-compiled-reader')) {
  const execs: ExecEvent[] = [];
  const failures: string[] = [];
  source = new ExecEventSource({
    perl,
    compiled,
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

describe('which reader runs', () => {
  it('prefers the compiled reader, and perl does not run', async () => {
    const perlRan = join(dir, 'perl-ran');
    const s = start(
      fakePerl(`touch ${perlRan}; echo '{"ready":true,"filtered":true}'; exec sleep 30`),
      fakeReader(
        'compiled',
        `echo '{"ready":true,"filtered":true}'; echo '${EXEC_LINE}'; exec sleep 30`,
      ),
    );
    expect(await s.started).toBe(true);
    expect(s.source.stats).toMatchObject({ state: 'events', reader: 'compiled' });
    await vi.waitFor(() => expect(s.execs).toHaveLength(1));
    expect(existsSync(perlRan)).toBe(false);
  });

  it('falls back to perl when the compiled reader cannot start, and its exit is no failure', async () => {
    const s = start(
      fakePerl(`echo '{"ready":true,"filtered":false}'; exec sleep 30`),
      fakeReader('compiled', `echo 'cannot execute: Exec format error' >&2; exit 126`),
    );
    expect(await s.started).toBe(true);
    expect(s.source.stats).toMatchObject({
      state: 'events',
      detail: 'all process events',
      reader: 'perl',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.failures).toEqual([]);
    expect(s.source.stats.state).toBe('events');
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
