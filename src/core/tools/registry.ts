import { TOOL_NAMES } from '../config/choices.js';
import { aider } from './aider.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { genericTool } from './generic.js';
import { opencode } from './opencode.js';
import { omp, pi } from './pi.js';
import type { ToolAdapter } from './types.js';

export type ToolName = (typeof TOOL_NAMES)[number];

const adapters: Record<ToolName, ToolAdapter> = { claude, codex, opencode, pi, omp, aider };

/**
 * The adapter for `[tool] name`; a known tool keeps its adapter with another `binary` (a wrapper or
 * a stand-in speaking the same flags), an unknown name with a binary gets the generic adapter.
 */
export function toolAdapter(
  name: string,
  binary?: string,
): { adapter: ToolAdapter; binary: string } {
  const known = (TOOL_NAMES as readonly string[]).includes(name)
    ? adapters[name as ToolName]
    : undefined;
  if (known) return { adapter: known, binary: binary || known.defaultBinary };
  if (binary) return { adapter: genericTool(binary), binary };
  throw new Error(
    `unknown tool "${name}": use one of ${TOOL_NAMES.join(', ')}, or set [tool] binary`,
  );
}
