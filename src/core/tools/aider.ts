import { aiderHostFiles } from './host-files.js';
import { withManagedBlock } from './managed-block.js';
import type { ToolAdapter } from './types.js';

const CONTEXT = 'AGENTS.md';

/**
 * aider: its chat history lives in the workspace (`.aider.chat.history.md`, kept anyway), its
 * caches and logins under `~/.aider`. It reads no context file by itself: `--read` hands it
 * `~/AGENTS.md`. `--yes-always` answers its confirmations; `--message` is its print mode.
 */
export const aider: ToolAdapter = {
  name: 'aider',
  defaultBinary: 'aider',
  stateDir: '.aider',
  printMode: true,
  hostFiles: aiderHostFiles,
  command(binary, { permissionMode, resume, prompt, home, withContext }) {
    const argv = [binary];
    if (permissionMode === 'bypass') argv.push('--yes-always');
    // It keeps one history per workspace: any resume is "the latest".
    if (resume) argv.push('--restore-chat-history');
    if (home && withContext) argv.push('--read', `${home}/${CONTEXT}`);
    if (prompt !== undefined) argv.push('--no-pretty', '--message', prompt);
    return argv;
  },
  homeFiles({ context }, current) {
    return context === undefined
      ? []
      : [{ path: CONTEXT, content: withManagedBlock(current(CONTEXT), context) }];
  },
};
