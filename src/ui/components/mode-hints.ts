import type { KeyMode } from '../keys/command.js';
import { COMMANDS } from '../keys/commands.js';

/** The hint line of an overlay or dialog, from the registry: `esc cancel · ←/→ choose · …`. */
export function modeHints(modes: readonly KeyMode[]): string {
  return modes
    .flatMap((mode) => COMMANDS.filter((c) => c.mode === mode && c.visible))
    .map((c) => `${c.keyLabel} ${c.title}`)
    .join(' · ');
}
