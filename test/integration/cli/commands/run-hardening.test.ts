import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../../src/incus/instance-types.js';
import { StoragePoolsApi } from '../../../../src/incus/storage.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CACHED_DEFAULT } from '../../../helpers/cached-default.js';
import { sandboxForFile, type CoiResult, type CoiSandbox } from '../../../helpers/coi-cli.js';
import { incus, TEST_PREFIX } from '../../../helpers/testbed.js';

/**
 * The kernel surface, the hardened profile and the disk limits, on real containers: what Incus
 * was told (the expanded config) and what the session can do inside.
 */

let box: CoiSandbox;
let uniq = 0;

sandboxForFile('[tool]\nname = "claude"\nbinary = "coi-standin"\n', (b) => (box = b));

/** io_uring_setup, bpf, keyctl and perf_event_open, each answering "<name> <errno>" (0: it worked). */
const SYSCALL_PROBE = `perl -e '
my $buf = "\\0" x 256;
sub answer { print "$_[0] ", ($_[1] < 0 ? $! + 0 : 0), "\\n"; $! = 0 }
answer("io_uring_setup", syscall(425, 1, $buf));
answer("bpf", syscall(321, 0, $buf, 0));
answer("keyctl", syscall(250, 0, -3));
answer("perf_event_open", syscall(298, $buf, 0, -1, -1, 0));
'`;

/**
 * Docker is in coi-default, not in the base image: the cached coi-default (made by the global
 * set-up, see cached-default.ts).
 */
const WITH_DOCKER = ['--image', CACHED_DEFAULT];

/**
 * A container inside: docker runs a one-binary image made from the session's own /bin/true (as
 * root: the session's processes do not carry the code user's docker group).
 */
const DOCKER_PROBE =
  'cd / && tar -ch bin/true lib64/ld-linux-x86-64.so.2 lib/x86_64-linux-gnu/libc.so.6 2>/dev/null | sudo -n docker import - coi-probe >/dev/null; ' +
  'timeout 60 sudo -n docker run --rm --network none coi-probe /bin/true >/dev/null 2>&1; echo "docker-run $?"';

/** A new pid namespace with its own /proc: what nesting allows and a nested runtime needs. */
const NESTED_PROC_PROBE =
  'unshare --user --map-root-user --pid --fork --mount-proc true 2>/dev/null; echo "mount-proc $?"';

interface Inspected {
  result: CoiResult;
  instance: Instance;
  /** What `onHost` found while the container ran. */
  host?: number;
}

/**
 * `coi run`s `probes` in a fresh workspace after the test has read the running container from
 * Incus (the container waits for that: it is gone once the run ends).
 */
async function runInspected(
  probes: string,
  opts: {
    /** Reuse this workspace (a persistent container of it) instead of a fresh one. */
    workspace?: string;
    args?: string[];
    workspaceConfig?: string;
    trustedConfig?: string;
    onHost?: (instance: Instance) => number;
    /** Owner of the workspace (default: whoever runs the tests). */
    uid?: number;
  } = {},
): Promise<Inspected & { workspace: string }> {
  const ws = opts.workspace ?? box.workspace(`hardening-${uniq++}`, opts.uid);
  // A reused workspace has the mark of its previous run.
  rmSync(join(ws, '.inspected'), { force: true });
  if (opts.workspaceConfig !== undefined) {
    mkdirSync(join(ws, '.coi'));
    writeFileSync(join(ws, '.coi', 'config.toml'), opts.workspaceConfig);
  }
  const env: Record<string, string> = {};
  if (opts.trustedConfig !== undefined) {
    env.COI_CONFIG = join(box.root, `trusted-${uniq++}.toml`);
    writeFileSync(env.COI_CONFIG, opts.trustedConfig);
  }
  const name = `${box.prefix}${workspaceHash(ws)}-1`;
  let inspected: Promise<Omit<Inspected, 'result'>> | undefined;
  const result = await box.run(
    [
      'run',
      ...(opts.args ?? []),
      `echo READY; while [ ! -e /workspace/.inspected ]; do sleep 0.2; done; ${probes}`,
    ],
    {
      cwd: ws,
      env,
      timeoutMs: 150_000,
      onStdout: (out) => {
        if (inspected || !out.includes('READY')) return;
        inspected = incus()
          .get<Instance>(`/1.0/instances/${name}`)
          .then((instance) => ({ instance, host: opts.onHost?.(instance) }))
          .finally(() => writeFileSync(join(ws, '.inspected'), ''));
      },
    },
  );
  if (!inspected) throw new Error(`the session never got ready: ${result.stdout}${result.stderr}`);
  return { result, workspace: ws, ...(await inspected) };
}

/** The `<name> <value>` lines a probe printed. */
function answers(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter((words) => words.length === 2)
      .map(([key, value]) => [key!, value!]),
  );
}

const EPERM = '1';
const DENIED = /^io_uring_setup errno 1\nio_uring_enter errno 1\n.*\nrequest_key errno 1$/s;

describe('coi run: kernel surface', () => {
  it('docker = false, even from the workspace file, drops nesting and the intercepts', async () => {
    const { result, instance } = await runInspected(NESTED_PROC_PROBE, {
      workspaceConfig: '[container]\ndocker = false\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(instance.expanded_config).toMatchObject({
      'security.nesting': 'false',
      'security.syscalls.intercept.mknod': 'false',
      'security.syscalls.intercept.setxattr': 'false',
    });
    expect(instance.expanded_config['security.syscalls.deny']).toBeUndefined();
    expect(answers(result.stdout)['mount-proc']).not.toBe('0');
  });

  it('reduce_kernel_surface_strict denies io_uring, bpf, keyctl and perf_event_open with EPERM; docker run fails', async () => {
    const { result, instance } = await runInspected(`${SYSCALL_PROBE}; ${DOCKER_PROBE}`, {
      args: WITH_DOCKER,
      trustedConfig:
        '[container]\ndocker = true\n[security]\nreduce_kernel_surface_strict = true\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'container.docker = true has no effect: security.reduce_kernel_surface_strict',
    );
    expect(instance.expanded_config['security.nesting']).toBe('false');
    expect(instance.expanded_config['security.syscalls.deny']).toMatch(
      new RegExp(`${DENIED.source.slice(0, -1)}\\nperf_event_open errno 1$`, 's'),
    );
    expect(answers(result.stdout)).toMatchObject({
      io_uring_setup: EPERM,
      bpf: EPERM,
      keyctl: EPERM,
      perf_event_open: EPERM,
    });
    expect(answers(result.stdout)['docker-run']).not.toBe('0');
  });

  it('--profile hardened launches reduced, Docker off, isolated, port-isolated and monitored', async () => {
    const { result, instance, workspace } = await runInspected(
      `${SYSCALL_PROBE}; touch /workspace/made-inside`,
      { args: ['--profile', 'hardened'], uid: 1500 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(instance.expanded_config).toMatchObject({
      'security.nesting': 'false',
      'security.idmap.isolated': 'true',
      'user.coi.profile': 'hardened',
      'user.coi.monitored': 'true',
      'user.coi.persistent': 'false',
    });
    expect(instance.expanded_config['security.syscalls.deny']).toMatch(DENIED);
    expect(instance.expanded_devices.eth0).toMatchObject({
      'security.port_isolation': 'true',
      'security.ipv4_filtering': 'true',
      'security.mac_filtering': 'true',
    });
    expect(answers(result.stdout).io_uring_setup).toBe(EPERM);
    // With an id range of its own, what the agent writes is still the workspace owner's.
    expect(statSync(join(workspace, 'made-inside')).uid).toBe(1500);
  });
});

describe('coi run: a persistent container', () => {
  it('takes the kernel surface the config asks for at its next start', async () => {
    const persistent = '[container]\npersistent = true\n';
    const first = await runInspected('true', { trustedConfig: persistent });
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(first.instance.expanded_config['security.nesting']).toBe('true');
    const again = await runInspected(SYSCALL_PROBE, {
      workspace: first.workspace,
      trustedConfig: `${persistent}[security]\nreduce_kernel_surface = true\n`,
    });
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(again.result.stderr).toContain('Reusing stopped persistent container on slot 1');
    expect(again.instance.name).toBe(first.instance.name);
    expect(again.instance.expanded_config['security.nesting']).toBe('false');
    expect(again.instance.expanded_config['security.syscalls.deny']).toMatch(DENIED);
    expect(answers(again.result.stdout).io_uring_setup).toBe(EPERM);
    expect((await box.run(['kill', '--force', first.instance.name])).code).toBe(0);
  });
});

describe('coi run: disk limits', () => {
  it('a tmpfs /tmp of tmpfs_size, a root quota of size, a swap size; the kernel surface as it is', async () => {
    const { result, instance, host } = await runInspected(
      'echo "tmp-fstype $(findmnt -n -o FSTYPE /tmp)"; echo "tmp-bytes $(df -B1 --output=size /tmp | tail -1 | tr -d " ")"; ' +
        `${NESTED_PROC_PROBE}; ${SYSCALL_PROBE}; ${DOCKER_PROBE}`,
      {
        args: WITH_DOCKER,
        onHost: qgroupLimit,
        trustedConfig:
          '[limits.disk]\nsize = "7GiB"\ntmpfs_size = "64MiB"\n[limits.memory]\nswap = "1GiB"\n',
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(answers(result.stdout)).toMatchObject({
      'tmp-fstype': 'tmpfs',
      'tmp-bytes': String(64 * 2 ** 20),
    });
    expect(instance.expanded_devices.root).toMatchObject({ path: '/', size: '7GiB' });
    expect(instance.expanded_config['limits.memory.swap']).toBe('1GiB');
    expect(instance.expanded_config['security.idmap.isolated']).toBe('true');
    // btrfs keeps the quota as the subvolume's qgroup limit, which df inside does not show.
    expect(host).toBe(7 * 2 ** 30);
    // What the kernel-surface tests see denied works here.
    expect(answers(result.stdout)).toMatchObject({
      'mount-proc': '0',
      io_uring_setup: '0',
      keyctl: '0',
      'docker-run': '0',
    });
    expect(answers(result.stdout).perf_event_open).not.toBe(EPERM);
  });
});

describe('coi run: a root disk size on a pool without quotas', () => {
  it('exits 2 naming the file, the key and the pool, with nothing launched', async () => {
    const pools = new StoragePoolsApi(incus());
    const pool = `${TEST_PREFIX}dir`;
    await pools.create({ name: pool, driver: 'dir' });
    try {
      const ws = box.workspace(`hardening-${uniq++}`);
      const file = join(box.root, 'dir-pool.toml');
      writeFileSync(file, `[container]\nstorage_pool = "${pool}"\n[limits.disk]\nsize = "5GiB"\n`);
      const r = await box.run(['run', 'true'], { cwd: ws, env: { COI_CONFIG: file } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `Error: ${file}: limits.disk.size = "5GiB" needs a storage pool that enforces quotas, ` +
          `but the root disk goes to pool "${pool}", which uses the dir driver`,
      );
      expect((await pools.get(pool)).used_by ?? []).toEqual([]);
    } finally {
      await pools.delete(pool);
    }
  });
});

/** The "max referenced" bytes of the container's btrfs subvolume, read on the host. */
function qgroupLimit(instance: Instance): number {
  const pool = instance.expanded_devices.root?.pool ?? 'default';
  const dir = `/var/lib/incus/storage-pools/${pool}`;
  const out = execFileSync('btrfs', ['qgroup', 'show', '-re', '--raw', dir]).toString();
  const row = out.split('\n').find((line) => line.trim().endsWith(`containers/${instance.name}`));
  if (!row) throw new Error(`no qgroup for ${instance.name} in:\n${out}`);
  return Number(row.trim().split(/\s+/)[3]);
}
