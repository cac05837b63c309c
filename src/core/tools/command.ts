import type { Config } from '../config/index.js';
import { CoiError } from '../../shared/errors.js';
import { toolSettings } from './settings.js';
import type { ResumeRequest, ToolAdapter } from './types.js';

/** Linux's limit on one argument (MAX_ARG_STRLEN), less a page for the rest of the argv. */
const MAX_PROMPT_BYTES = 128 * 1024 - 4096;

export interface AgentLaunch {
  tool: { adapter: ToolAdapter; binary: string };
  /** The code user's home in the container. */
  home: string;
  resume?: ResumeRequest;
}

/** The argv that starts the configured agent, interactive (in tmux) or, with `prompt`, headless. */
export function agentCommand(config: Config, launch: AgentLaunch, prompt?: string): string[] {
  const { adapter, binary } = launch.tool;
  return adapter.command(binary, {
    permissionMode: config.tool.permission_mode,
    settings: toolSettings(config, adapter),
    home: launch.home,
    withContext: config.tool.auto_context,
    ...(launch.resume ? { resume: launch.resume } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
  });
}

/**
 * The argv of a headless run: refused (usage, exit 2) for a tool without a print mode, and
 * unless the agent may act without asking: nobody is there to answer it.
 */
export function headlessCommand(config: Config, launch: AgentLaunch, prompt: string): string[] {
  const { adapter } = launch.tool;
  if (!adapter.printMode) {
    throw new CoiError(
      `${adapter.name} has no print mode coi knows: a prompt needs [tool] name = one of claude, codex, opencode, pi, omp, aider`,
      'config',
    );
  }
  if (config.tool.permission_mode !== 'bypass') {
    throw new CoiError(
      `a prompt runs the agent unattended, which needs [tool] permission_mode = "bypass" (it is "${config.tool.permission_mode}"): set it in ~/.coi/config.toml or .coi/config.toml`,
      'config',
    );
  }
  const bytes = Buffer.byteLength(prompt);
  if (bytes > MAX_PROMPT_BYTES) {
    throw new CoiError(
      `the prompt is ${bytes} bytes; the agent gets it as one argument, which Linux limits to ${MAX_PROMPT_BYTES} bytes: shorten it, or put the long part in a workspace file the prompt names`,
      'usage',
    );
  }
  return agentCommand(config, launch, prompt);
}
