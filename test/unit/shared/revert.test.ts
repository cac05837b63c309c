import { describe, expect, it } from 'vitest';
import { allSettledOrThrow, Reverter, withUndoFailures } from '../../../src/shared/revert.js';

describe('Reverter', () => {
  it('fail() runs the undos newest first, awaiting each', async () => {
    const revert = new Reverter();
    const ran: string[] = [];
    revert.add(() => void ran.push('first'));
    revert.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push('second');
    });
    revert.add(() => void ran.push('third'));
    expect(await revert.fail()).toEqual([]);
    expect(ran).toEqual(['third', 'second', 'first']);
  });

  it('a failing undo does not stop the others; its error is returned', async () => {
    const revert = new Reverter();
    const ran: string[] = [];
    revert.add(() => void ran.push('first'));
    revert.add(() => {
      throw new Error('delete failed');
    });
    revert.add(() => Promise.reject(new Error('release failed')));
    revert.add(() => void ran.push('last'));
    const errors = await revert.fail();
    expect(ran).toEqual(['last', 'first']);
    expect(errors.map((e) => e.message)).toEqual(['release failed', 'delete failed']);
  });

  it('success() disarms: a later fail() undoes nothing', async () => {
    const revert = new Reverter();
    let undone = false;
    revert.add(() => void (undone = true));
    revert.success();
    expect(await revert.fail()).toEqual([]);
    expect(undone).toBe(false);
  });

  it('fail() runs each undo once', async () => {
    const revert = new Reverter();
    let runs = 0;
    revert.add(() => void (runs += 1));
    await revert.fail();
    await revert.fail();
    expect(runs).toBe(1);
  });
});

describe('withUndoFailures', () => {
  class Refused extends Error {
    readonly exitCode = 1;
  }

  it('keeps the original error and appends what could not be undone', () => {
    const original = new Refused('tmux did not start');
    const reported = withUndoFailures(original, [new Error('could not delete c1')]);
    expect(reported).toBe(original);
    expect(reported).toBeInstanceOf(Refused);
    expect((reported as Error).message).toBe(
      'tmux did not start; rolling back also failed: could not delete c1',
    );
  });

  it('leaves the message alone when every undo succeeded', () => {
    const original = new Error('tmux did not start');
    expect((withUndoFailures(original, []) as Error).message).toBe('tmux did not start');
  });
});

describe('allSettledOrThrow', () => {
  it('rejects with the first failure only after the slower promises settled', async () => {
    let slowDone = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve();
      }, 20),
    );
    await expect(allSettledOrThrow([Promise.reject(new Error('fast')), slow])).rejects.toThrow(
      'fast',
    );
    expect(slowDone).toBe(true);
  });

  it('resolves when everything succeeds (undefined entries included)', async () => {
    await expect(allSettledOrThrow([Promise.resolve(1), undefined])).resolves.toBeUndefined();
  });
});
