import { CoiError } from '../../shared/errors.js';
import type { PromptSource } from '../../core/tools/prompts.js';

export interface PromptFlags {
  prompt?: string;
  promptFile?: string;
  promptName?: string;
}

/** What `coi run` was asked to run: a command, the agent with a prompt, or ./coi-run. */
export type RunTarget =
  | { kind: 'command'; words: string[] }
  | { kind: 'prompt'; source: PromptSource }
  | { kind: 'script' };

/** One of the three prompt flags at most, and never with a command (usage, exit 2). */
export function runTarget(words: string[], flags: PromptFlags): RunTarget {
  const given = [
    flags.prompt !== undefined && '--prompt',
    flags.promptFile !== undefined && '--prompt-file',
    flags.promptName !== undefined && '--prompt-name',
  ].filter((f): f is string => f !== false);
  if (given.length > 1) {
    throw new CoiError(`${given.join(' and ')} cannot be combined: give one prompt`, 'usage');
  }
  const [flag] = given;
  if (flag && words.length > 0) {
    throw new CoiError(
      `${flag} cannot be combined with a command (${words.join(' ')}): run either the agent with a prompt or the command`,
      'usage',
    );
  }
  if (flags.prompt !== undefined)
    return { kind: 'prompt', source: { kind: 'text', text: flags.prompt } };
  if (flags.promptFile !== undefined)
    return { kind: 'prompt', source: { kind: 'file', path: flags.promptFile } };
  if (flags.promptName !== undefined)
    return { kind: 'prompt', source: { kind: 'name', name: flags.promptName } };
  return words.length > 0 ? { kind: 'command', words } : { kind: 'script' };
}
