import type { IncusApi } from '../../incus/index.js';
import { monitorPaths } from '../../security/monitor/paths.js';
import { ask } from '../../security/monitor/singleton.js';
import { followSessionLogs } from '../logs/follow.js';
import { sessionLogPaths } from '../logs/paths.js';
import { listSnapshots } from '../snapshot/snapshots.js';
import { slotDetails } from './slot-details.js';
import { readNetworkTail } from './slot-network.js';
import { SlotProcessSampler, userNamer, type SlotProcessPaths } from './slot-processes.js';
import type { SlotViewData, SlotViewKind, SlotViewSink } from './slot-view-types.js';

export interface SlotViewFeedOptions {
  incus: IncusApi;
  coiDir: string;
  prefix: string;
  paths?: SlotProcessPaths;
  /** How often each view is refreshed (the logs are followed every 200 ms). */
  intervalMs?: Partial<Record<Exclude<SlotViewKind, 'logs'>, number>>;
}

/** Session log lines kept for the logs view; older ones are dropped. */
export const LOG_LINES_KEPT = 2000;

const INTERVAL_MS = { processes: 2000, details: 5000, snapshots: 2000, network: 1000 };

type Refresh = () => Promise<SlotViewData>;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Feeds one view of one container until the returned stop is called: processes, details,
 * snapshots and the network tail are read again every interval (a refresh never overlaps the one before), the session
 * log is followed as it grows.
 */
export function watchSlotView(
  opts: SlotViewFeedOptions,
  view: SlotViewKind,
  container: string,
  sink: SlotViewSink,
): () => void {
  if (view === 'logs') return followLogs(opts.coiDir, container, sink);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const refresh = refresher(opts, view, container);
  const tick = async () => {
    try {
      const data = await refresh();
      if (!stopped) sink.onData(data);
    } catch (err) {
      if (!stopped) sink.onError(`${container}: ${messageOf(err)}`);
    }
    if (!stopped)
      timer = setTimeout(() => void tick(), opts.intervalMs?.[view] ?? INTERVAL_MS[view]);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function refresher(
  opts: SlotViewFeedOptions,
  view: Exclude<SlotViewKind, 'logs'>,
  container: string,
): Refresh {
  const { incus } = opts;
  if (view === 'details') {
    return async () => {
      const instance = await incus.instances.getFull(container);
      const ping = await ask(monitorPaths(opts.coiDir).socket, 'ping', 500);
      const monitor = ping === undefined ? 'not running' : 'running';
      return { view, container, sections: slotDetails(instance, opts.prefix, monitor) };
    };
  }
  if (view === 'network') {
    return async () => ({
      view,
      container,
      decisions: await readNetworkTail(opts.coiDir, container),
    });
  }
  if (view === 'snapshots') {
    return async () => ({
      view,
      container,
      snapshots: (await listSnapshots(incus, container)).map((s) => ({
        name: s.name,
        createdAt: s.created_at,
        stateful: s.stateful,
        sizeBytes: s.size,
      })),
    });
  }
  let sampler: SlotProcessSampler | undefined;
  return async () => {
    sampler ??= new SlotProcessSampler(container, await namerOf(incus, container), opts.paths);
    return { view, container, processes: sampler.read() };
  };
}

/** The container's uid map and passwd, read once when the view opens. */
async function namerOf(incus: IncusApi, container: string) {
  const { value } = await incus.instances.get(container);
  const passwd = await incus.files
    .pull(container, '/etc/passwd')
    .then((b) => b.toString('utf8'))
    .catch(() => '');
  return userNamer(value.config, passwd);
}

function followLogs(coiDir: string, container: string, sink: SlotViewSink): () => void {
  const paths = sessionLogPaths(coiDir, container);
  let lines: string[] = [];
  let stopped = false;
  const add = (text: string) => {
    const added = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    lines = [...lines, ...added].slice(-LOG_LINES_KEPT);
    if (!stopped) sink.onData({ view: 'logs', container, lines });
  };
  sink.onData({ view: 'logs', container, lines });
  // From the start, so a line written while the view opens is not lost between a read and a follow.
  const follower = followSessionLogs(paths, add, { fromStart: true });
  return () => {
    stopped = true;
    follower.stop();
  };
}
