import { IncusInstanceRunningError } from '../../incus/errors.js';
import type { IncusApi, IncusOperation } from '../../incus/interfaces.js';

const ATTEMPTS = 5;
const RETRY_MS = 500;

/**
 * Deletes an instance whatever its state, like `incus delete -f`: unfreezes a frozen one,
 * force-stops a running one, then deletes it. Returns the DELETE's operation, as
 * `instances.delete` does.
 */
export async function forceDelete(
  incus: Pick<IncusApi, 'instances'>,
  name: string,
): Promise<IncusOperation> {
  const { instances } = incus;
  for (let attempt = 1; ; attempt++) {
    const { value } = await instances.get(name);
    if (value.status === 'Frozen') await (await instances.unfreeze(name)).wait();
    if (value.status !== 'Stopped') await (await instances.stop(name, { force: true })).wait();
    try {
      return await instances.delete(name);
    } catch (err) {
      // Right after a failed start the daemon briefly still calls the instance running.
      if (attempt >= ATTEMPTS || !(err instanceof IncusInstanceRunningError)) throw err;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
