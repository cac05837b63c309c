import { IncusError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/interfaces.js';

const MAX_REASONS = 5;

/**
 * Starts an instance and, if that fails, adds the error lines of its `lxc.log` to the error
 * (the operation only says `forkstart ... exit status 1`).
 */
export async function startExplained(
  incus: Pick<IncusApi, 'instances'>,
  name: string,
): Promise<void> {
  const op = await incus.instances.start(name);
  try {
    await op.wait();
  } catch (err) {
    if (!(err instanceof IncusError)) throw err;
    // No readable log leaves the error as the daemon gave it.
    const log = await incus.instances.lxcLog(name).catch(() => '');
    // The first errors lxc logged for this container carry the cause; the rest is fallout.
    const reasons = log
      .split('\n')
      .filter((line) => /^lxc \S+ \d+\.\d+ ERROR\b/.test(line))
      .map((line) => line.replace(/^.*?\bERROR\s+\S+ - \S+ - /, '').trim())
      .slice(0, MAX_REASONS);
    if (reasons.length > 0) err.message = `${err.message}\nlxc.log:\n  ${reasons.join('\n  ')}`;
    throw err;
  }
}
