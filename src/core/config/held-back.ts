import type { ConfigWarning } from './errors.js';
import type { GatedEntry } from './gated.js';
import type { Approval } from './trust.js';

/** The gated settings of one workspace file, not applied because it is not approved as it is. */
export interface HeldBack {
  label: string;
  approval: Exclude<Approval, 'approved'>;
  entries: GatedEntry[];
}

/** One warning for every held-back setting of a load, with the command that approves them. */
export function heldBackWarning(held: HeldBack[]): ConfigWarning | undefined {
  if (held.length === 0) return undefined;
  const parts = held.map((h) => {
    const changed = h.approval === 'changed' ? ' (changed since you approved it)' : '';
    return `${h.label}${changed}: ${h.entries.map((e) => e.shown).join(', ')}`;
  });
  return {
    file: held[0]!.label,
    key: held.flatMap((h) => h.entries.map((e) => e.key)).join(', '),
    message:
      `${parts.join('; ')} ignored: a workspace file may reach the host only once you approve it; ` +
      'review it, then run `coi trust` in this workspace (needed again after every change)',
  };
}
