import type { Command } from 'commander';
import { checkSessionId } from '../../shared/naming.js';
import { coiDir, workspacePath } from '../context.js';
import { outputFormat, printJson } from '../output.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('details of a saved session (default: the newest of this workspace)')
    .argument('[session-id]', 'saved session id')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (id: string | undefined, flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const { findSavedSession } = await import('../../core/session/info.js');
      const s = await findSavedSession(
        coiDir(),
        workspacePath(undefined),
        id === undefined ? undefined : checkSessionId(id, 'session id', 'usage'),
      );
      if (format === 'json') return printJson(s);
      const lines = [
        `Session:    ${s.session_id}`,
        `Tool:       ${s.tool}`,
        `Workspace:  ${s.workspace}`,
        `Container:  ${s.container_name}`,
        `Persistent: ${s.persistent ? 'yes' : 'no'}`,
        `Saved at:   ${s.saved_at}`,
        ...(s.profile ? [`Profile:    ${s.profile}`] : []),
        `Data:       ${s.dir}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
