/** An undo step; a returned promise is awaited. */
export type Undo = () => Promise<unknown> | void;

/**
 * Rollback of a multi-step operation, after Incus's `shared/revert`: register the undo of each
 * step as you go (before the step when its undo is safe on a partial one), then `fail()` on error
 * runs them newest first, or `success()` keeps everything.
 */
export class Reverter {
  private undos: Undo[] = [];

  add(undo: Undo): void {
    this.undos.push(undo);
  }

  /**
   * Runs the undos newest first and forgets them. One failing does not stop the others: their
   * errors are returned, for the caller to report beside (never instead of) its own.
   */
  async fail(): Promise<Error[]> {
    const undos = this.undos.reverse();
    this.undos = [];
    const errors: Error[] = [];
    for (const undo of undos) {
      try {
        await undo();
      } catch (err) {
        errors.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return errors;
  }

  /** Keeps what was done: a later `fail()` undoes nothing. */
  success(): void {
    this.undos = [];
  }
}

/**
 * `err` with what could not be undone appended to its message, so whoever reports the failure
 * also says what was left behind; the error itself (class, exit code) stays the one thrown.
 */
export function withUndoFailures(err: unknown, failures: readonly Error[]): unknown {
  if (failures.length === 0 || !(err instanceof Error)) return err;
  err.message += `; rolling back also failed: ${failures.map((f) => f.message).join('; ')}`;
  return err;
}

/**
 * Like `Promise.all`, but rejects only once every promise has settled, so that no undo starts
 * while another part of the same step is still at work.
 */
export async function allSettledOrThrow(promises: readonly unknown[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failed) throw failed.reason;
}
