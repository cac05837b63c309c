import { describe, expect, it } from 'vitest';
import { parseTopOptions } from '../../../../src/core/top/options.js';
import { CoiError } from '../../../../src/shared/errors.js';

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CoiError);
    expect((err as CoiError).kind).toBe('usage');
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('coi top options', () => {
  it('defaults to the container view sorted by CPU over 2 s, once', () => {
    expect(parseTopOptions(undefined, {})).toEqual({
      view: { kind: 'containers', sort: 'cpu' },
      intervalMs: 2000,
      json: false,
      watchSeconds: 0,
    });
  });

  it('a named container or --procs is the process view', () => {
    expect(parseTopOptions('api', { sort: 'MEM' }).view).toEqual({
      kind: 'processes',
      sort: 'mem',
      only: 'api',
    });
    expect(parseTopOptions(undefined, { procs: true, interval: '0.5' })).toMatchObject({
      view: { kind: 'processes', sort: 'cpu' },
      intervalMs: 500,
    });
  });

  it('rejects a sort key outside the view, naming the ones it takes', () => {
    expect(usageMessage(() => parseTopOptions(undefined, { sort: 'ram' }))).toBe(
      'invalid --sort "ram": must be one of cpu, mem, disk, net',
    );
    expect(usageMessage(() => parseTopOptions(undefined, { procs: true, sort: 'disk' }))).toBe(
      'invalid --sort "disk": must be one of cpu, mem',
    );
  });

  it('rejects bad intervals and watch periods, and --json with --watch', () => {
    expect(usageMessage(() => parseTopOptions(undefined, { interval: '0' }))).toBe(
      'invalid --interval: must be greater than 0',
    );
    expect(usageMessage(() => parseTopOptions(undefined, { interval: 'soon' }))).toMatch(
      /invalid --interval "soon"/,
    );
    expect(usageMessage(() => parseTopOptions(undefined, { watch: '-1' }))).toBe(
      'invalid --watch: must be >= 0',
    );
    expect(usageMessage(() => parseTopOptions(undefined, { watch: '1.5' }))).toMatch(
      /invalid --watch "1.5"/,
    );
    expect(usageMessage(() => parseTopOptions(undefined, { watch: '2', json: true }))).toBe(
      '--json is not supported with --watch',
    );
    expect(parseTopOptions(undefined, { watch: '0', json: true }).json).toBe(true);
  });
});
