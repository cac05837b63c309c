import { withManagedBlock } from './managed-block.js';
import { piHostFiles } from './host-files.js';
import type { ToolAdapter } from './types.js';

/** pi: state under `~/.pi/agent`; `APPEND_SYSTEM.md` there is appended to its system prompt. */
export const pi: ToolAdapter = {
  name: 'pi',
  defaultBinary: 'pi',
  stateDir: '.pi/agent',
  hostFiles: piHostFiles,
  command(binary, { resume }) {
    const argv = [binary];
    if (resume?.kind === 'latest') argv.push('--continue');
    if (resume?.kind === 'id') argv.push('--session', resume.id);
    return argv;
  },
  homeFiles({ context }, current) {
    const path = '.pi/agent/APPEND_SYSTEM.md';
    return context === undefined
      ? []
      : [{ path, content: withManagedBlock(current(path), context) }];
  },
};
