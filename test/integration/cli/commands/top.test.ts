import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Incus } from '../../../../src/incus/index.js';
import { containerName } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import {
  GATEWAY,
  TEST_PREFIX,
  deleteTestContainer,
  launchTestContainer,
} from '../../../helpers/testbed.js';
import type { ContainerTopRow, ProcessTopRow } from '../../../../src/core/top/rows.js';

/**
 * `coi top` on a real container kept busy from the inside (`yes`, a UDP stream to the bridge
 * gateway): the numbers come from the host's cgroups and /proc, the pids are the host's.
 */

let box: CoiSandbox;
let incus: Incus;
const WORKSPACE = '/top-test/api';
const name = containerName(WORKSPACE, 1, TEST_PREFIX);

beforeAll(async () => {
  ensureBuilt();
  box = new CoiSandbox('');
  incus = Incus.local();
  await launchTestContainer(name.slice(TEST_PREFIX.length), {
    config: { 'user.coi.workspace': WORKSPACE, 'user.coi.alias': 'toptest' },
  });
  const background = (script: string) =>
    incus.exec.run(name, ['sh', '-c', `setsid sh -c '${script}' </dev/null >/dev/null 2>&1 &`]);
  await background('yes > /dev/null');
  await background(
    `exec bash -c "while :; do head -c 262144 /dev/zero > /dev/udp/${GATEWAY}/9; done"`,
  );
});

afterAll(async () => {
  await deleteTestContainer(name);
  await incus?.close();
  await box?.remove();
});

/** utime + stime of a host process, in seconds. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// The host may be busy with other work: `yes` then gets less than a core. Each reading is checked
// against a second source read around it: within its 1 s window coi top cannot see more CPU than
// that source counted over the whole run, and a busy process reads well above an idle one.
describe('coi top', () => {
  it('measures the CPU, memory and traffic of a busy container from its cgroup', async () => {
    const incusCpu = async () => (await incus.instances.state(name)).cpu.usage / 1e9;
    const before = await incusCpu();
    const r = await box.run(['top', '--json', '-i', '1']);
    const counted = (await incusCpu()) - before;
    expect(r.code, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as ContainerTopRow[]).find((x) => x.name === name);
    expect(row).toMatchObject({ alias: 'toptest', workspace: WORKSPACE });
    expect(row!.cpu_percent).toBeGreaterThan(5);
    expect(row!.cpu_percent / 100).toBeLessThanOrEqual(counted + 0.01);
    expect(row!.memory_mb).toBeGreaterThan(1);
    expect(row!.net_tx_mb_per_sec).toBeGreaterThan(0.1);
  });

  it("lists the container's processes under their host pids, found by alias", async () => {
    const first = await box.run(['top', 'toptest', '--json', '-i', '0.2']);
    expect(first.code, first.stderr).toBe(0);
    const pid = (JSON.parse(first.stdout) as ProcessTopRow[]).find((p) => p.command === 'yes')?.pid;
    expect(pid, first.stdout).toBeDefined();
    // The pid is the host's: its /proc entry is that process, in that container's cgroup.
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('yes\0');
    expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`lxc.payload.${name}`);

    const before = cpuSecondsOf(pid!);
    const r = await box.run(['top', 'toptest', '--json', '-i', '1']);
    const counted = cpuSecondsOf(pid!) - before;
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as ProcessTopRow[];
    const yes = rows.find((p) => p.pid === pid)!;
    expect(yes).toMatchObject({ container: name, command: 'yes' });
    expect(yes.cpu_percent).toBeGreaterThan(5);
    expect(yes.cpu_percent / 100).toBeLessThanOrEqual(counted + 0.02);
    expect(yes.memory_mb).toBeGreaterThan(0);
    expect(Number(yes.user)).toBeGreaterThanOrEqual(100000); // the container's root, mapped
    const cpu = rows.map((p) => p.cpu_percent);
    expect(cpu).toEqual([...cpu].sort((a, b) => b - a));
  });

  it('prints the text tables: containers, and --procs with a CONTAINER column', async () => {
    const containers = await box.run(['top', '-i', '0.5']);
    expect(containers.code, containers.stderr).toBe(0);
    const lines = containers.stdout.split('\n');
    expect(lines[0]).toMatch(/^CONTAINER\s+ALIAS\s+CPU%\s+MEM\s+DISK R\/W\s+NET R\/W\s+WORKSPACE$/);
    expect(lines.find((l) => l.startsWith(name))).toMatch(
      /^\S+\s+toptest\s+\d+%\s+[\d.]+ [KMG]?B\s+.*\/s \/ .*\/s\s+.*\/s \/ .*\/s\s+\/top-test\/api$/,
    );
    const procs = await box.run(['top', '--procs', '--sort', 'mem', '-i', '0.5']);
    expect(procs.code, procs.stderr).toBe(0);
    expect(procs.stdout).toMatch(/^CONTAINER\s+PID\s+USER\s+CPU%\s+MEM\s+COMMAND\n/);
    expect(procs.stdout).toMatch(new RegExp(`\\n${name}\\s+\\d+\\s+\\d+\\s+\\d+%\\s+.*\\syes\\n`));
    expect(procs.stdout).toContain('PIDs are host-side — kill a runaway with: sudo kill <PID>');
  });

  it('redraws with --watch until Ctrl+C, then exits 0', async () => {
    let passes = 0;
    const r = await box.run(['top', '--watch', '1', '-i', '0.2'], {
      onStdout: (out, child) => {
        const seen = out.split('Last updated: ').length - 1;
        if (seen >= 2 && passes < 2) child.kill('SIGINT');
        passes = seen;
      },
      timeoutMs: 20_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('\x1b[2J\x1b[H')).toBe(true);
    expect(r.stdout).toMatch(
      /Last updated: \d\d:\d\d:\d\d \| refresh every 1s \| Press Ctrl\+C to exit/,
    );
    expect(r.stdout).toContain(name);
  });

  it('refuses bad flags before reading anything (exit 2), and a missing container (exit 1)', async () => {
    const both = await box.run(['top', '--json', '--watch', '2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--json is not supported with --watch');
    const sort = await box.run(['top', '--procs', '--sort', 'disk']);
    expect(sort.code).toBe(2);
    expect(sort.stderr).toContain('invalid --sort "disk": must be one of cpu, mem');
    const interval = await box.run(['top', '-i', '0']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('invalid --interval: must be greater than 0');
    const missing = await box.run(['top', 'no-such-container', '-i', '0.1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('container "no-such-container" not found');
  });
});
