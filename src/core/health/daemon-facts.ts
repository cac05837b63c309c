import type { MonitorStatus } from '../../security/monitor/daemon.js';
import { monitorPaths } from '../../security/monitor/paths.js';
import { ask } from '../../security/monitor/singleton.js';
import { listCoiContainers } from '../container/list.js';
import type { Incus } from '../../incus/index.js';
import type { CoiContainer } from '../../shared/coi-container.js';

/** What the daemon checks look at: its answer to `status`, and the running coi containers. */
export async function daemonFacts(
  incus: Incus,
  env: { coiDir: string; prefix: string },
): Promise<{ status: MonitorStatus | undefined; running: CoiContainer[] }> {
  const [reply, containers] = await Promise.all([
    ask(monitorPaths(env.coiDir).socket, 'status'),
    listCoiContainers(incus, env.prefix),
  ]);
  return {
    status: parseStatus(reply),
    running: containers.filter((c) => c.status === 'Running'),
  };
}

function parseStatus(reply: string | undefined): MonitorStatus | undefined {
  if (reply === undefined) return undefined;
  try {
    return JSON.parse(reply) as MonitorStatus;
  } catch {
    // Something answers on the socket, but not a coi daemon of this version.
    return undefined;
  }
}
