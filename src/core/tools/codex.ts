import { withManagedBlock } from './managed-block.js';
import { codexHostFiles } from './host-files.js';
import type { CommandOptions, ToolAdapter } from './types.js';

/** The flags `codex`, `codex resume` and `codex exec` all take. */
function sessionFlags({ permissionMode, settings }: CommandOptions): string[] {
  return [
    // The container is the sandbox: codex's own (Landlock/seccomp) one cannot run nested in it.
    ...(permissionMode === 'bypass' ? ['--dangerously-bypass-approvals-and-sandbox'] : []),
    ...(settings?.model ? ['-m', settings.model] : []),
    ...(settings?.effort ? ['-c', `model_reasoning_effort="${settings.effort}"`] : []),
  ];
}

function resumeArgs(resume: CommandOptions['resume']): string[] {
  if (resume?.kind === 'latest') return ['resume', '--last'];
  return resume?.kind === 'id' ? ['resume', resume.id] : [];
}

/**
 * OpenAI Codex CLI: state under `~/.codex` (sessions, history), user instructions in
 * `~/.codex/AGENTS.md`. Print mode is `codex exec` (`codex exec resume --last PROMPT` continues).
 */
export const codex: ToolAdapter = {
  name: 'codex',
  defaultBinary: 'codex',
  stateDir: '.codex',
  printMode: true,
  hostFiles: codexHostFiles,
  command(binary, opts) {
    if (opts.prompt === undefined)
      return [binary, ...resumeArgs(opts.resume), ...sessionFlags(opts)];
    // exec refuses a workspace that is not a git repository unless told otherwise.
    return [
      binary,
      'exec',
      '--skip-git-repo-check',
      ...sessionFlags(opts),
      ...resumeArgs(opts.resume),
      opts.prompt,
    ];
  },
  homeFiles({ context }, current) {
    const path = '.codex/AGENTS.md';
    return context === undefined
      ? []
      : [{ path, content: withManagedBlock(current(path), context) }];
  },
};
