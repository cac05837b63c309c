import { opencodeHostFiles } from './host-files.js';
import { parseJsonObject } from './json-object.js';
import type { ToolAdapter } from './types.js';

const CONFIG = '.config/opencode/opencode.json';
const CONTEXT_REF = '~/SANDBOX_CONTEXT.md';

/**
 * opencode: state under `~/.local/share/opencode`; context through the `instructions` list of its
 * config, which also carries the permission policy (bypass = allow everything without asking).
 */
export const opencode: ToolAdapter = {
  name: 'opencode',
  defaultBinary: 'opencode',
  stateDir: '.local/share/opencode',
  printMode: true,
  hostFiles: opencodeHostFiles,
  command(binary, { resume, prompt }) {
    // `opencode run PROMPT` answers without its terminal UI and exits.
    const argv = prompt === undefined ? [binary] : [binary, 'run'];
    if (resume?.kind === 'latest') argv.push('--continue');
    if (resume?.kind === 'id') argv.push('--session', resume.id);
    if (prompt !== undefined) argv.push(prompt);
    return argv;
  },
  homeFiles({ context, permissionMode }, current) {
    const config = parseJsonObject(current(CONFIG));
    const instructions = Array.isArray(config.instructions)
      ? [...(config.instructions as unknown[])]
      : [];
    if (context !== undefined && !instructions.includes(CONTEXT_REF))
      instructions.push(CONTEXT_REF);
    const value = permissionMode === 'bypass' ? 'allow' : 'ask';
    const merged = {
      $schema: 'https://opencode.ai/config.json',
      ...config,
      instructions,
      permission: { edit: value, bash: value, webfetch: value },
    };
    return [{ path: CONFIG, content: `${JSON.stringify(merged, null, 2)}\n` }];
  },
};
