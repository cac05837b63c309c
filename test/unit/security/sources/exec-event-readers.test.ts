import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseProcEventLine } from '../../../../src/security/sources/exec-event-parse.js';
import {
  COMPILED_READER,
  PROC_EVENTS_SCRIPT,
} from '../../../../src/security/sources/exec-events.js';

/**
 * Both exec event readers for real (root, the kernel's process-events connector): an exec in a
 * cgroup named as a container's is reported by each, in the same line. The compiled reader is
 * built by `npm run build` wherever there is a C compiler.
 */

/** A v1 controller's hierarchy where there is one (hybrid hosts), else the unified one. */
const hierarchy = existsSync('/sys/fs/cgroup/pids/cgroup.procs')
  ? '/sys/fs/cgroup/pids'
  : '/sys/fs/cgroup';
const container = `coi-unit-readers-${process.pid}`;
const cgroup = `${hierarchy}/lxc.payload.${container}`;
const readers: ChildProcess[] = [];

afterAll(async () => {
  for (const reader of readers) reader.kill();
  // The cgroup can go once its processes have.
  await vi.waitFor(() => rmdirSync(cgroup), { timeout: 3000, interval: 50 }).catch(() => undefined);
});

function run(program: string, args: string[]) {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  readers.push(child);
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  return lines;
}

describe('the exec event readers, run for real', () => {
  it('the compiled one and perl report an exec in a container alike', async () => {
    // The suite runs as root (it sets up Incus), and node-pty's build needs the C compiler.
    expect(process.getuid?.(), 'the process-events connector needs root').toBe(0);
    expect(existsSync(COMPILED_READER), `${COMPILED_READER}: run npm run build`).toBe(true);
    const compiled = run(COMPILED_READER, []);
    const perl = run('perl', [PROC_EVENTS_SCRIPT]);
    await vi.waitFor(() => {
      expect(compiled[0]).toMatch(/^\{"ready":true,"filtered":(true|false)\}$/);
      expect(perl[0]).toBe(compiled[0]);
    });
    mkdirSync(cgroup, { recursive: true });
    const marker = `coi-marker-${process.pid}`;
    // Into the cgroup, then the exec the readers must report: it lives 300 ms, so perl sees it too.
    const execd = spawn(
      'sh',
      [
        '-c',
        `echo $$ > ${cgroup}/cgroup.procs && exec sh -c 'sleep 0.3' ${marker} 'a b' 'q"uote	tab\\'`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const ofMarker = (lines: string[]) => lines.find((l) => l.includes(marker));
    await vi.waitFor(
      () => {
        expect(ofMarker(compiled)).toBeDefined();
        expect(ofMarker(perl)).toBeDefined();
      },
      { timeout: 3000 },
    );
    expect(ofMarker(compiled)).toBe(ofMarker(perl));
    expect(parseProcEventLine(ofMarker(compiled)!)).toMatchObject({
      kind: 'exec',
      pid: execd.pid,
      ppid: process.pid,
      owner: 0,
      container,
      argv: ['sh', '-c', 'sleep 0.3', marker, 'a b', 'q"uote\ttab\\'],
      // /dev/null, and node's pipe (a unix socket pair) on standard output.
      stdio: { 0: '/dev/null', 1: expect.stringMatching(/^socket:\[\d+\]$/), 2: '/dev/null' },
    });
  });
});
