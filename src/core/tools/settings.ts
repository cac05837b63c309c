import type { Config } from '../config/index.js';
import type { ToolAdapter, ToolSettings } from './types.js';

/** `[tool.claude]` / `[tool.codex]` in the adapter's terms; other tools have none. */
export function toolSettings(config: Config, tool: Pick<ToolAdapter, 'name'>): ToolSettings {
  const { claude, codex } = config.tool;
  const pick = (model?: string, effort?: string): ToolSettings => ({
    ...(model ? { model } : {}),
    ...(effort ? { effort } : {}),
  });
  if (tool.name === 'claude') return pick(claude.model, claude.effort_level);
  if (tool.name === 'codex') return pick(codex.model, codex.reasoning_effort);
  return {};
}

/** The environment the tool reads its settings from, below everything the user configured. */
export function toolEnvironment(config: Config, tool: ToolAdapter): Record<string, string> {
  return tool.environment?.(toolSettings(config, tool)) ?? {};
}
