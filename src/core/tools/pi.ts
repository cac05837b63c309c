import { withManagedBlock } from './managed-block.js';
import { ompHostFiles, piHostFiles } from './host-files.js';
import type { HostFile, ToolAdapter } from './types.js';

/**
 * pi and its fork omp (oh-my-pi) share their CLI: state under `~/.<dir>/agent`, whose
 * `APPEND_SYSTEM.md` is appended to the system prompt; `-p` answers one prompt and exits. Neither
 * asks permission for its tools, so there is no bypass flag.
 */
function piFamily(name: string, dir: string, hostFiles: readonly HostFile[]): ToolAdapter {
  const stateDir = `${dir}/agent`;
  return {
    name,
    defaultBinary: name,
    stateDir,
    printMode: true,
    hostFiles,
    command(binary, { resume, prompt }) {
      const argv = [binary];
      if (resume?.kind === 'latest') argv.push('--continue');
      if (resume?.kind === 'id') argv.push('--session', resume.id);
      if (prompt !== undefined) argv.push('-p', prompt);
      return argv;
    },
    homeFiles({ context }, current) {
      const path = `${stateDir}/APPEND_SYSTEM.md`;
      return context === undefined
        ? []
        : [{ path, content: withManagedBlock(current(path), context) }];
    },
  };
}

export const pi = piFamily('pi', '.pi', piHostFiles);
export const omp = piFamily('omp', '.omp', ompHostFiles);
