import type { CoiContainer } from '../../shared/coi-container.js';
import { readContainer, readProcesses, type HostPaths } from './read.js';
import { containerRow, processRows, type ContainerTopRow, type ProcessTopRow } from './rows.js';

/** Two readings `intervalMs` apart, turned into rates over the time that really passed. */

export interface SampleOptions extends HostPaths {
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function twoReadings<T>(
  first: () => T,
  second: () => T,
  opts: SampleOptions,
): Promise<{ before: T; after: T; seconds: number }> {
  const t0 = performance.now();
  const before = first();
  await (opts.sleep ?? pause)(opts.intervalMs);
  const t1 = performance.now();
  return { before, after: second(), seconds: (t1 - t0) / 1000 };
}

/** One row per container, in the order given. */
export async function sampleContainers(
  containers: CoiContainer[],
  opts: SampleOptions,
): Promise<ContainerTopRow[]> {
  const readAll = () =>
    new Map(
      containers.map((c) => [c.name, readContainer(c.name, c.instance.state?.pid ?? 0, opts)]),
    );
  const { before, after, seconds } = await twoReadings(readAll, readAll, opts);
  return containers.map((c) =>
    containerRow(
      { name: c.name, alias: c.alias, workspace: c.workspace },
      before.get(c.name),
      after.get(c.name),
      seconds,
    ),
  );
}

/** One row per process of the named containers alive at the second reading. */
export async function sampleProcesses(
  names: string[],
  opts: SampleOptions,
): Promise<ProcessTopRow[]> {
  const wanted = new Set(names);
  const { before, after, seconds } = await twoReadings(
    () => readProcesses(wanted, false, opts),
    () => readProcesses(wanted, true, opts),
    opts,
  );
  return processRows(before, after, seconds);
}
