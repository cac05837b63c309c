import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listCoiContainers } from '../container/list.js';
import { HostLocks } from '../session/host-locks.js';
import { SavedSessions } from '../session/saved-sessions.js';
import { ok, warn, withIncus, type HealthCheck } from './types.js';

export const statusChecks: HealthCheck[] = [
  {
    key: 'active_containers',
    name: 'Containers',
    category: 'status',
    run: (env) =>
      withIncus(env, async (incus) => {
        const all = await listCoiContainers(incus, env.prefix);
        const running = all.filter((c) => c.status === 'Running').length;
        return ok(`${running} running, ${all.length - running} other`, {
          running,
          total: all.length,
        });
      }),
  },
  {
    key: 'saved_sessions',
    name: 'Saved sessions',
    category: 'status',
    run: async (env) => {
      const sessions = await new SavedSessions(env.coiDir).list();
      return ok(`${sessions.length} saved`, { count: sessions.length });
    },
  },
  {
    key: 'orphaned_resources',
    name: 'Orphans',
    category: 'status',
    run: (env) =>
      withIncus(env, async (incus) => {
        const containers = await listCoiContainers(incus, env.prefix);
        const names = new Set(containers.map((c) => c.name));
        const lostWorkspace = containers
          .filter((c) => c.workspace && !existsSync(c.workspace))
          .map((c) => c.name);
        const staleLocks = (await new HostLocks(join(env.coiDir, 'locks')).containers()).filter(
          (c) => !names.has(c),
        );
        const found = [
          ...lostWorkspace.map((c) => `${c} (workspace gone)`),
          ...staleLocks.map((c) => `locks of ${c} (container gone)`),
        ];
        return found.length
          ? warn(`${found.join(', ')}; \`coi clean\` removes them`, {
              containers: lostWorkspace,
              locks: staleLocks,
            })
          : ok('none');
      }),
    manualFix: () => 'run `coi clean --orphans` (`--dry-run` first to see what goes)',
  },
];
