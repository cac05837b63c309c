import type { IncusApi } from '../../incus/index.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { CoiError } from '../../shared/errors.js';
import { listCoiContainers } from '../container/list.js';
import { NO_RUNNING_CONTAINERS, formatContainerTable, formatProcessTable } from './format.js';
import type { TopOptions } from './options.js';
import type { HostPaths } from './read.js';
import { sortContainerRows, sortProcessRows } from './rows.js';
import { sampleContainers, sampleProcesses } from './sample.js';

export interface TopIncus {
  instances: Pick<IncusApi['instances'], 'listFull'>;
}

export interface TopContext extends HostPaths {
  incus: TopIncus;
  prefix: string;
  /** The user's home, shown as `~` in workspaces. */
  home: string;
  sleep?: (ms: number) => Promise<void>;
}

const isUp = (c: CoiContainer) => c.status === 'Running' || c.status === 'Frozen';

/** One pass of `coi top`: the containers listed, sampled over the interval, as text or JSON. */
export async function topPass(ctx: TopContext, opts: TopOptions): Promise<string> {
  const containers = await listCoiContainers(ctx.incus, ctx.prefix);
  const sampling = { ...ctx, intervalMs: opts.intervalMs };
  const { view } = opts;
  const targets =
    view.kind === 'processes' && view.only
      ? [runningByNameOrAlias(containers, view.only)]
      : containers.filter(isUp);
  if (targets.length === 0) return opts.json ? '[]\n' : `${NO_RUNNING_CONTAINERS}\n`;
  if (view.kind === 'containers') {
    const rows = sortContainerRows(await sampleContainers(targets, sampling), view.sort);
    return opts.json ? json(rows) : formatContainerTable(rows, ctx.home);
  }
  const names = targets.map((c) => c.name);
  const rows = sortProcessRows(await sampleProcesses(names, sampling), view.sort);
  if (view.only && rows.length === 0)
    throw new CoiError(`found no process of ${names[0]} in /proc (is /proc mounted with hidepid?)`);
  return opts.json ? json(rows) : formatProcessTable(rows, !view.only);
}

/** A coi container by its name or its alias, which must be running. */
export function runningByNameOrAlias(containers: CoiContainer[], word: string): CoiContainer {
  const found = containers.find((c) => c.name === word) ?? containers.find((c) => c.alias === word);
  if (!found)
    throw new CoiError(`container "${word}" not found: \`coi list\` shows the coi containers`);
  if (!isUp(found))
    throw new CoiError(`container ${found.name} is not running (${found.status.toLowerCase()})`);
  return found;
}

function json(rows: unknown[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
