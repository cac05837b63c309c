import type { TuiStore } from '../state/store.js';
import type { Pane } from '../state/ui-types.js';
import type { Command, KeyMode } from './command.js';
import { COMMANDS } from './commands.js';
import type { KeyPress } from './decode-keys.js';

/** Every set of modes that can be live together, most specific first. */
export const MODE_STACKS = {
  dashboard: ['dashboard'],
  help: ['help'],
  alertDetail: ['alert-detail'],
  buttonDialog: ['confirm', 'buttons'],
  typedDialog: ['confirm', 'typed', 'field'],
  filter: ['filter', 'field'],
  processes: ['processes', 'slot-view'],
  details: ['slot-view'],
  logs: ['logs', 'slot-view'],
  snapshots: ['snapshots', 'slot-view'],
  network: ['network', 'slot-view'],
} as const satisfies Record<string, readonly KeyMode[]>;

/** What has the keyboard decides which bindings are live: a dialog, the filter, an overlay. */
export function activeModes(state: TuiStore): readonly KeyMode[] {
  const { overlay, filter } = state.ui;
  if (overlay.kind === 'confirm')
    return overlay.confirm.request.typeToConfirm === undefined
      ? MODE_STACKS.buttonDialog
      : MODE_STACKS.typedDialog;
  if (filter.editing) return MODE_STACKS.filter;
  if (overlay.kind === 'help') return MODE_STACKS.help;
  if (overlay.kind === 'alert-detail') return MODE_STACKS.alertDetail;
  if (overlay.kind === 'slot-view') return MODE_STACKS[overlay.view];
  return MODE_STACKS.dashboard;
}

function matches(command: Command, key: KeyPress, focus: Pane): boolean {
  return command.keys.includes(key.name) && (command.scope === 'global' || command.scope === focus);
}

/** The one place a key press is matched to a command: the first live mode that binds it wins. */
export function commandFor(
  modes: readonly KeyMode[],
  focus: Pane,
  key: KeyPress,
): Command | undefined {
  for (const mode of modes) {
    const command = COMMANDS.find((c) => c.mode === mode && matches(c, key, focus));
    if (command) return command;
  }
  return undefined;
}
