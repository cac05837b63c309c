import type { ConfirmRequest } from '../state/ui-types.js';
import type { CommandContext } from './context.js';

/**
 * A set of key bindings that is live at one time. The dispatcher stacks them by what has the
 * keyboard (see `activeModes`): a confirmation dialog's `confirm` over `buttons` or `typed`, the
 * filter's `filter` over `field`, and so on.
 */
export type KeyMode =
  | 'dashboard'
  | 'help'
  | 'alert-detail'
  | 'confirm'
  | 'buttons'
  | 'typed'
  | 'filter'
  | 'field'
  /** Any per-slot view; under it, the view's own mode (details has none). */
  | 'slot-view'
  | 'processes'
  | 'logs'
  | 'snapshots'
  | 'network';

/** On the dashboard: which pane must have focus for the command to apply. */
export type CommandScope = 'global' | 'slots' | 'alerts';

/** What a dangerous command would do, shown in the confirmation before it is done. */
export type Consequence = Omit<ConfirmRequest, 'onConfirm'>;

export interface PreparedAction {
  consequence: Consequence;
  run: () => void;
}

interface CommandInfo {
  id: string;
  mode: KeyMode;
  /** Key names as produced by decodeKeys. */
  keys: readonly string[];
  /** How the keys are shown to the user. */
  keyLabel: string;
  /** Short label for the hint line. */
  title: string;
  /** One line for the help overlay. */
  help: string;
  scope: CommandScope;
  /** Talks to Incus: refused, with the reason, while Incus does not answer. */
  needsIncus?: boolean;
  /**
   * Shown in its mode's hint line, space permitting, in registry order: the footer on the
   * dashboard, an overlay's own hint line otherwise.
   */
  visible: boolean;
}

export interface PlainCommand extends CommandInfo {
  dangerous?: false;
  run: (ctx: CommandContext) => void;
}

/** The dispatcher asks for confirmation, with the consequence `prepare` describes, first. */
export interface DangerousCommand extends CommandInfo {
  dangerous: true;
  /** What the command would do, or undefined (status line set) when there is nothing to do. */
  prepare: (ctx: CommandContext) => PreparedAction | undefined;
}

export type Command = PlainCommand | DangerousCommand;
