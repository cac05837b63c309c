import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureSysctls,
  INCUS_SYSCTLS,
  lowSysctls,
  parseSysctlFile,
  sysctlCommand,
} from '../../../../src/core/host/sysctl.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A /proc/sys stand-in holding `values` (every recommended key, 1 unless given). */
function fakeProcSys(values: Record<string, number | undefined> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'coi-sysctl-'));
  dirs.push(root);
  for (const { key } of INCUS_SYSCTLS) {
    const value = Object.hasOwn(values, key) ? values[key] : 1;
    if (value === undefined) continue;
    const path = join(root, 'proc', ...key.split('.'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${value}\n`);
  }
  return root;
}

const read = (root: string, key: string) =>
  Number(readFileSync(join(root, 'proc', ...key.split('.')), 'utf8'));

describe('lowSysctls', () => {
  it('names the settings below the recommendation, never one at or above it, nor a missing one', () => {
    const root = fakeProcSys({
      'fs.inotify.max_user_instances': 128,
      'vm.max_map_count': 262144,
      'kernel.keys.maxkeys': 5000,
      'net.ipv6.neigh.default.gc_thresh3': undefined,
    });
    const low = lowSysctls({ procSys: join(root, 'proc') }).map((s) => s.key);
    expect(low).toContain('fs.inotify.max_user_instances');
    expect(low).not.toContain('vm.max_map_count');
    expect(low).not.toContain('kernel.keys.maxkeys');
    expect(low).not.toContain('net.ipv6.neigh.default.gc_thresh3');
    expect(lowSysctls({ procSys: join(root, 'proc') })[0]).toMatchObject({ current: 1 });
  });
});

describe('ensureSysctls', () => {
  it('raises what is low, now and in the sysctl.d file, keeping higher values from before', () => {
    const root = fakeProcSys({ 'kernel.keys.maxkeys': 9000 });
    const file = join(root, 'etc', 'sysctl.d', '60-coi-incus.conf');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '# earlier\nfs.inotify.max_user_watches = 4194304\n');
    const step = ensureSysctls({ procSys: join(root, 'proc'), file });
    expect(step.status).toBe('done');
    expect(step.message).toContain('fs.inotify.max_user_instances 1 → 1048576');
    expect(step.message).toContain(`kept in ${file}`);
    expect(step.message).not.toContain('kernel.keys.maxkeys');
    expect(read(root, 'fs.inotify.max_user_instances')).toBe(1048576);
    expect(read(root, 'kernel.keys.maxkeys')).toBe(9000);
    const kept = new Map(parseSysctlFile(readFileSync(file, 'utf8')).map((s) => [s.key, s.value]));
    expect(kept.get('fs.inotify.max_user_watches')).toBe(4194304);
    expect(kept.get('vm.max_map_count')).toBe(262144);
    expect(kept.has('kernel.keys.maxkeys')).toBe(false);
    expect(ensureSysctls({ procSys: join(root, 'proc'), file })).toMatchObject({ status: 'ok' });
  });

  it('warns with the command to run for a setting the kernel refuses, raising the rest', () => {
    const root = fakeProcSys();
    const file = join(root, 'out.conf');
    const step = ensureSysctls({ procSys: join(root, 'proc'), file }, (path, text) => {
      if (path.endsWith(join('vm', 'max_map_count')))
        throw Object.assign(new Error('read-only'), { code: 'EROFS' });
      writeFileSync(path, text);
    });
    expect(step.status).toBe('warn');
    expect(step.message).toContain('could not raise vm.max_map_count (EROFS)');
    expect(step.message).toContain('run `sudo sysctl -w vm.max_map_count=262144`');
    expect(read(root, 'fs.aio-max-nr')).toBe(524288);
    expect(readFileSync(file, 'utf8')).not.toContain('vm.max_map_count');
  });

  it('builds the sysctl command users can run themselves', () => {
    expect(sysctlCommand([{ key: 'vm.max_map_count', value: 262144 }])).toBe(
      'sudo sysctl -w vm.max_map_count=262144',
    );
  });
});
