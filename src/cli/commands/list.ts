import type { Command } from 'commander';
import { listCoiContainers } from '../../core/container/list.js';
import { SavedSessions } from '../../core/session/saved-sessions.js';
import { withContext } from '../context.js';
import { outputFormat, printJson } from '../output.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list coi containers (--all: also saved sessions)')
    .option('-a, --all', 'include saved sessions')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: { all?: boolean; format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      await withContext({}, async (ctx) => {
        const containers = await listCoiContainers(ctx.incus, ctx.prefix);
        const sessions = flags.all ? await new SavedSessions(ctx.coiDir).list() : [];
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
        const out: string[] = ['Active Containers:'];
        if (containers.length === 0) out.push('  (none)');
        for (const c of containers) {
          out.push(
            `  ${c.name} (${c.persistent ? 'persistent' : 'ephemeral'})`,
            `    Status: ${c.status}`,
            `    IPv4: ${c.ipv4 || '-'}`,
            `    Created: ${c.createdAt}`,
            `    Image: ${c.image || '-'}`,
            `    Workspace: ${c.workspace}`,
            `    Slot: ${c.slot}  Tool: ${c.tool || '-'}  Pool: ${c.pool || '-'}`,
          );
        }
        if (flags.all) {
          out.push('', 'Saved Sessions:');
          if (sessions.length === 0) out.push('  (none)');
          for (const s of sessions)
            out.push(`  ${s.session_id}  ${s.tool}  ${s.saved_at}  ${s.workspace}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}
