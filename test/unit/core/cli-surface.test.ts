import { describe, expect, it } from 'vitest';
import { parseEnvPairs } from '../../../src/core/container/exec.js';
import { parseContainerPath } from '../../../src/core/files/container-path.js';
import { healthExitCode, report } from '../../../src/core/health/run.js';
import { poolVerdict } from '../../../src/core/health/storage-checks.js';
import { kernelVersion } from '../../../src/core/health/system-checks.js';
import { tarCompression } from '../../../src/core/image/rootfs.js';

const GiB = 2 ** 30;

describe('CONTAINER:PATH', () => {
  it('splits at the first colon and wants an absolute path', () => {
    expect(parseContainerPath('box:/a/b/')).toEqual({ container: 'box', path: '/a/b' });
    expect(parseContainerPath('box:/')).toEqual({ container: 'box', path: '/' });
    for (const bad of ['box', ':/x', 'box:rel', 'box:'])
      expect(() => parseContainerPath(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('exec --env', () => {
  it('parses KEY=VALUE pairs, values may hold "="', () => {
    expect(parseEnvPairs(['A=1', 'B=x=y', 'C='])).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(() => parseEnvPairs(['=1'])).toThrow(/KEY=VALUE/);
    expect(() => parseEnvPairs(['1A=2'])).toThrow(/KEY=VALUE/);
  });
});

describe('health verdicts', () => {
  it('grades pool space and drivers', () => {
    expect(poolVerdict('btrfs', 10 * GiB, 40 * GiB).status).toBe('ok');
    expect(poolVerdict('dir', 10 * GiB, 40 * GiB).status).toBe('warning');
    expect(poolVerdict('btrfs', 34 * GiB, 40 * GiB).status).toBe('warning');
    expect(poolVerdict('btrfs', 37 * GiB, 40 * GiB).status).toBe('failed');
    expect(poolVerdict('zfs', 0, 3 * GiB).status).toBe('warning');
  });

  it('reads kernel versions', () => {
    expect(kernelVersion('6.1.0-18-amd64')).toEqual([6, 1]);
    expect(kernelVersion('5.4.0')).toEqual([5, 4]);
    expect(kernelVersion('weird')).toBeUndefined();
  });

  it('sums up checks into a status and an exit code', () => {
    const r = report({
      a: { name: 'A', status: 'ok', message: '' },
      b: { name: 'B', status: 'warning', message: '' },
    });
    expect(r.status).toBe('degraded');
    expect(r.summary).toEqual({ total: 2, passed: 1, warnings: 1, failed: 0 });
    expect(healthExitCode('healthy')).toBe(0);
    expect(healthExitCode('degraded')).toBe(1);
    expect(healthExitCode('unhealthy')).toBe(2);
  });
});

describe('[container.build] compression', () => {
  it('maps to tar flags; none (and unset) compresses nothing', () => {
    expect(tarCompression(undefined)).toEqual([]);
    expect(tarCompression('none')).toEqual([]);
    expect(tarCompression('zstd')).toEqual(['--zstd']);
    expect(() => tarCompression('lz77')).toThrow(/compression/);
  });
});
