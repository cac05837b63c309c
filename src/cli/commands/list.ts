import type { Command } from 'commander';
import {
  containersHeading,
  LIST_STATUSES,
  statusFilter,
  withStatus,
} from '../../core/container/status-filter.js';
import { portLabel } from '../../shared/published-ports.js';
import { withListingContext } from '../listing-context.js';
import { globalOptions } from '../options/global.js';
import { outputFormat, printJson } from '../output.js';

interface ListFlags {
  all?: boolean;
  format?: string;
  json?: boolean;
  status?: string;
  running?: boolean;
  stopped?: boolean;
  remote?: string;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description(
      'list coi containers (--all: also saved sessions); status filters narrow the containers only',
    )
    .option('-a, --all', 'include saved sessions')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .option('--status <status>', `only containers in this status: ${LIST_STATUSES.join(', ')}`)
    .option('--running', 'only running containers (same as --status running)')
    .option('--stopped', 'only stopped containers (same as --status stopped)')
    .addOption(globalOptions.remote())
    .action(async (flags: ListFlags) => {
      const format = outputFormat(flags);
      const status = statusFilter(flags);
      const { quickListCoiContainers } = await import('../../core/container/list.js');
      await withListingContext(
        async (ctx) => {
          const containers = withStatus(
            await quickListCoiContainers(ctx.incus, ctx.prefix),
            status,
          );
          const sessions = flags.all ? await savedSessions(ctx.coiDir) : [];
          if (format === 'json') {
            printJson({
              active_containers: containers.map((c) => ({
                name: c.name,
                status: c.status,
                created_at: c.createdAt,
                image: c.image,
                persistent: c.persistent,
                ipv4: c.ipv4,
                pool: c.pool,
                alias: c.alias,
                published_ports: c.ports.map(portLabel),
                workspace: c.workspace,
                slot: c.slot,
                tool: c.tool,
              })),
              ...(flags.all
                ? {
                    saved_sessions: sessions.map((s) => ({
                      ID: s.session_id,
                      SavedAt: s.saved_at,
                      Workspace: s.workspace,
                      Tool: s.tool,
                    })),
                  }
                : {}),
            });
            return;
          }
          const out: string[] = [containersHeading(status)];
          if (containers.length === 0) out.push('  (none)');
          for (const c of containers) {
            out.push(
              `  ${c.name} (${c.persistent ? 'persistent' : 'ephemeral'})`,
              ...(c.alias ? [`    Alias: ${c.alias}`] : []),
              `    Status: ${c.status}`,
              `    IPv4: ${c.ipv4 || '-'}`,
              `    Created: ${c.createdAt}`,
              `    Image: ${c.image || '-'}`,
              `    Workspace: ${c.workspace}`,
              `    Slot: ${c.slot}  Tool: ${c.tool || '-'}  Pool: ${c.pool || '-'}`,
              ...(c.ports.length ? [`    Ports: ${c.ports.map(portLabel).join(', ')}`] : []),
            );
          }
          if (flags.all) {
            out.push('', 'Saved Sessions:');
            if (sessions.length === 0) out.push('  (none)');
            for (const s of sessions)
              out.push(`  ${s.session_id}  ${s.tool}  ${s.saved_at}  ${s.workspace}`);
          }
          process.stdout.write(`${out.join('\n')}\n`);
        },
        { remote: flags.remote },
      );
    });
}

async function savedSessions(coiDir: string) {
  const { SavedSessions } = await import('../../core/session/saved-sessions.js');
  return new SavedSessions(coiDir).list();
}
