import type { IncusApi } from '../../incus/interfaces.js';

/**
 * Stops a container cleanly within `graceSeconds` (no grace: at once), forcing it when the clean
 * stop does not finish: an init that has not yet set up its signal handlers (a container started
 * moments ago on a busy host) never acts on the shutdown signal.
 */
export async function stopWithGrace(
  incus: IncusApi,
  container: string,
  graceSeconds: number | undefined,
): Promise<void> {
  // Gone meanwhile (another coi ended it): nothing to stop.
  const { value } = await incus.instances.get(container).catch(() => ({ value: undefined }));
  if (!value || value.status === 'Stopped') return;
  if (graceSeconds !== undefined && value.status === 'Running') {
    try {
      await (
        await incus.instances.stop(container, { timeout: graceSeconds })
      ).wait({ timeoutMs: (graceSeconds + 10) * 1000 });
      return;
    } catch {
      // Did not stop in time: force below.
    }
  }
  // It may have stopped on its own after the grace stop gave up: the forced stop then fails.
  await (await incus.instances.stop(container, { force: true })).wait().catch(() => undefined);
}
