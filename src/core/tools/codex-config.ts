import { parse, stringify } from 'smol-toml';
import type { PermissionMode } from './types.js';

/**
 * The user's `~/.codex/config.toml` with coi's sandbox settings merged in: in bypass mode no
 * approval prompts and Codex's own sandbox off (the container is the sandbox). In interactive
 * mode the user's file is kept as it is.
 */
export function mergeCodexConfig(
  content: string | undefined,
  { permissionMode }: { permissionMode: PermissionMode },
): string | undefined {
  if (permissionMode !== 'bypass') return content;
  return stringify({
    ...parseToml(content),
    approval_policy: 'never',
    sandbox_mode: 'danger-full-access',
  });
}

function parseToml(content: string | undefined): Record<string, unknown> {
  if (!content) return {};
  try {
    return parse(content);
  } catch {
    // Codex would not read it either: start from coi's settings alone.
    return {};
  }
}
