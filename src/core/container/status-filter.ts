import { CoiError } from '../../shared/errors.js';

/** Every status Incus reports for an instance, lowercase: what `coi list --status` accepts. */
export const LIST_STATUSES = [
  'running',
  'stopped',
  'frozen',
  'error',
  'starting',
  'stopping',
  'freezing',
  'thawed',
  'aborting',
  'ready',
] as const;

export type ListStatus = (typeof LIST_STATUSES)[number];

export interface StatusFlags {
  status?: string;
  running?: boolean;
  stopped?: boolean;
}

/**
 * The one status `--status S`, `--running` or `--stopped` asks for, or undefined for all. Any two
 * of them together are refused, even a consistent pair, so no script grows a line that looks as if
 * it stacked two filters.
 */
export function statusFilter(flags: StatusFlags): ListStatus | undefined {
  const given = [flags.status !== undefined, flags.running, flags.stopped].filter(Boolean).length;
  if (given > 1)
    throw new CoiError(
      '--running, --stopped and --status are mutually exclusive: pass at most one',
      'usage',
    );
  if (flags.running) return 'running';
  if (flags.stopped) return 'stopped';
  if (flags.status === undefined) return undefined;
  const wanted = flags.status.toLowerCase();
  const known = LIST_STATUSES.find((s) => s === wanted);
  if (!known)
    throw new CoiError(
      `invalid status "${flags.status}" (use one of ${LIST_STATUSES.join(', ')})`,
      'usage',
    );
  return known;
}

/** The items in that status (Incus spells them capitalised: "Running"); all when no filter. */
export function withStatus<T extends { status: string }>(items: T[], status?: ListStatus): T[] {
  return status ? items.filter((item) => item.status.toLowerCase() === status) : items;
}

/** "Active Containers:" unfiltered, else named after the filter ("Stopped Containers:"). */
export function containersHeading(status?: ListStatus): string {
  return status
    ? `${status[0]!.toUpperCase()}${status.slice(1)} Containers:`
    : 'Active Containers:';
}
