import { claudeManagedSettings } from './claude-settings.js';
import { claudeHostFiles } from './host-files.js';
import { withManagedBlock } from './managed-block.js';
import type { ToolAdapter } from './types.js';

/** Claude Code: `~/.claude` holds its state; `~/.claude/CLAUDE.md` is its user-level memory. */
export const claude: ToolAdapter = {
  name: 'claude',
  defaultBinary: 'claude',
  stateDir: '.claude',
  hostFiles: claudeHostFiles,
  systemFiles: claudeManagedSettings,
  command(binary, { permissionMode, resume }) {
    const argv = [binary];
    if (permissionMode === 'bypass') argv.push('--dangerously-skip-permissions');
    if (resume?.kind === 'latest') argv.push('--continue');
    if (resume?.kind === 'id') argv.push('--resume', resume.id);
    return argv;
  },
  homeFiles({ context }, current) {
    const path = '.claude/CLAUDE.md';
    return context === undefined
      ? []
      : [{ path, content: withManagedBlock(current(path), context) }];
  },
};
