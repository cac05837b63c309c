import { describe, expect, it } from 'vitest';
import { execCapture, parseEnvPairs } from '../../../../src/core/container/exec.js';
import { ContainerOpError } from '../../../../src/core/container/lifecycle.js';
import { IncusNotFoundError, IncusUnavailableError } from '../../../../src/incus/errors.js';
import type { Incus } from '../../../../src/incus/index.js';

describe('exec --env', () => {
  it('parses KEY=VALUE pairs, values may hold "="', () => {
    expect(parseEnvPairs(['A=1', 'B=x=y', 'C='])).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(() => parseEnvPairs(['=1'])).toThrow(/KEY=VALUE/);
    expect(() => parseEnvPairs(['1A=2'])).toThrow(/KEY=VALUE/);
  });
});

describe('exec on a container that cannot be read', () => {
  const incusWhoseGetFails = (err: Error) =>
    ({
      instances: { get: () => Promise.reject(err) },
      exec: { run: () => Promise.reject(new Error('ran without a container')) },
    }) as unknown as Incus;

  it('says the container does not exist only when Incus says so', async () => {
    await expect(
      execCapture(incusWhoseGetFails(new IncusNotFoundError('not found', 404)), 'box', ['true']),
    ).rejects.toThrow(new ContainerOpError('container "box" does not exist'));
    const down = new IncusUnavailableError('/var/lib/incus/unix.socket', 'ECONNREFUSED');
    await expect(execCapture(incusWhoseGetFails(down), 'box', ['true'])).rejects.toBe(down);
  });
});
