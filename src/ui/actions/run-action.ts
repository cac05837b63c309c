import type { TuiStoreApi } from '../state/store.js';

export interface ActionSpec<T> {
  /** Shown while the promise is pending, e.g. "Pausing coi-abc-1…". */
  doing: string;
  call: () => Promise<T>;
  /** Shown on success. */
  done: (result: T) => string;
  /** Prefix for the failure, e.g. "Pause coi-abc-1 failed". */
  failed: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one action and keeps the status line saying what it is doing, did, or why it failed. */
export async function runAction<T>(store: TuiStoreApi, spec: ActionSpec<T>): Promise<boolean> {
  const { setStatus } = store.getState();
  setStatus({ tone: 'info', text: spec.doing });
  try {
    const result = await spec.call();
    setStatus({ tone: 'success', text: spec.done(result) });
    return true;
  } catch (error) {
    setStatus({ tone: 'error', text: `${spec.failed}: ${errorText(error)}` });
    return false;
  }
}

/** Runs the same action over many targets and reports one summary line. */
export async function runBulk(
  store: TuiStoreApi,
  spec: { doing: string; verbPast: string; verb: string; targets: string[] },
  call: (target: string) => Promise<unknown>,
): Promise<void> {
  const { setStatus } = store.getState();
  setStatus({ tone: 'info', text: spec.doing });
  const results = await Promise.allSettled(spec.targets.map((t) => call(t)));
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${spec.targets[i]}: ${errorText(r.reason)}`] : [],
  );
  const ok = results.length - failures.length;
  const summary = `${spec.verbPast} ${ok} of ${results.length} flagged containers`;
  setStatus(
    failures.length === 0
      ? { tone: 'success', text: summary }
      : { tone: 'error', text: `${summary}; ${spec.verb} failed for ${failures.join('; ')}` },
  );
}
