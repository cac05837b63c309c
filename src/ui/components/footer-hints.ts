import stringWidth from 'string-width';
import type { Segment } from '../format/segments.js';
import { COMMANDS } from '../keys/commands.js';
import type { Pane } from '../state/ui-types.js';

/** Key hints for the footer, generated from the command registry, as many as fit. */
export function footerHints(focus: Pane, width: number): Segment[] {
  const segments: Segment[] = [];
  let used = 0;
  for (const c of COMMANDS) {
    if (c.mode !== 'dashboard' || !c.visible) continue;
    if (c.scope !== 'global' && c.scope !== focus) continue;
    const w = stringWidth(` ${c.keyLabel} ${c.title} `);
    if (used + w > width) break;
    segments.push(
      { text: ` ${c.keyLabel}`, bold: true, color: 'cyan' },
      { text: ` ${c.title} `, dim: true },
    );
    used += w;
  }
  return segments;
}
