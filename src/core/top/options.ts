import { CoiError } from '../../shared/errors.js';
import {
  CONTAINER_SORT_KEYS,
  PROCESS_SORT_KEYS,
  type ContainerSortKey,
  type ProcessSortKey,
} from './rows.js';

/** `coi top`'s flags as given on the command line. */
export interface TopFlags {
  interval?: string;
  sort?: string;
  procs?: boolean;
  json?: boolean;
  watch?: string;
}

export type TopView =
  | { kind: 'containers'; sort: ContainerSortKey }
  /** `only`: the container named on the command line; every running one otherwise. */
  | { kind: 'processes'; sort: ProcessSortKey; only?: string };

export interface TopOptions {
  view: TopView;
  intervalMs: number;
  json: boolean;
  /** Seconds between passes; 0 for one pass. */
  watchSeconds: number;
}

const usage = (message: string) => new CoiError(message, 'usage');

/**
 * Validates everything before anything is read, with the Go coi's messages. A named container, or
 * `--procs`, is the process view; each view has its own `--sort` keys.
 */
export function parseTopOptions(container: string | undefined, flags: TopFlags): TopOptions {
  const interval = Number(flags.interval ?? '2');
  if (!Number.isFinite(interval) || flags.interval?.trim() === '')
    throw usage(`invalid --interval "${flags.interval}": expected a number of seconds`);
  if (interval <= 0) throw usage('invalid --interval: must be greater than 0');
  const watchText = flags.watch ?? '0';
  if (!/^-?\d+$/.test(watchText.trim()))
    throw usage(`invalid --watch "${watchText}": expected a whole number of seconds`);
  const watchSeconds = Number(watchText);
  if (watchSeconds < 0) throw usage('invalid --watch: must be >= 0');
  const json = flags.json === true;
  if (watchSeconds > 0 && json) throw usage('--json is not supported with --watch');
  const sort = (flags.sort ?? 'cpu').toLowerCase();
  const processes = container !== undefined || flags.procs === true;
  const keys: readonly string[] = processes ? PROCESS_SORT_KEYS : CONTAINER_SORT_KEYS;
  if (!keys.includes(sort))
    throw usage(`invalid --sort "${flags.sort}": must be one of ${keys.join(', ')}`);
  const view: TopView = processes
    ? { kind: 'processes', sort: sort as ProcessSortKey, ...(container ? { only: container } : {}) }
    : { kind: 'containers', sort: sort as ContainerSortKey };
  return { view, intervalMs: interval * 1000, json, watchSeconds };
}
