import * as act from '../actions/container-actions.js';
import type { CommandContext } from './context.js';
import * as nav from './navigation.js';

export type CommandScope = 'global' | 'slots' | 'alerts';

/**
 * One entry per user command. The footer hints, the `?` overlay and key dispatch are all
 * generated from this list, so they cannot drift apart.
 */
export interface Command {
  id: string;
  /** Key names as produced by decodeKeys. */
  keys: readonly string[];
  /** How the keys are shown to the user. */
  keyLabel: string;
  /** Short footer label. */
  title: string;
  /** One line for the help overlay. */
  help: string;
  scope: CommandScope;
  /** Shown in the footer hints (space permitting, in list order). */
  footer: boolean;
  run: (ctx: CommandContext) => void;
}

/** Leaves an attached terminal pane; while attached this is the only key the dashboard sees. */
export const DETACH_KEY = 'ctrl-q';
/** How the detach chord is shown (help, pane title, banner). */
export const DETACH_LABEL = 'ctrl-q';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export const COMMANDS: readonly Command[] = [
  {
    id: 'help',
    keys: ['?'],
    keyLabel: '?',
    title: 'help',
    help: 'Show or hide this help',
    scope: 'global',
    footer: true,
    run: ({ store }) => store.getState().openOverlay({ kind: 'help', scroll: 0 }),
  },
  {
    id: 'quit',
    keys: ['q', 'ctrl-c'],
    keyLabel: 'q',
    title: 'quit',
    help: 'Quit (containers keep going)',
    scope: 'global',
    footer: true,
    run: ({ exit }) => exit(),
  },
  {
    id: 'pane',
    keys: ['tab', 'shift-tab'],
    keyLabel: 'tab',
    title: 'pane',
    help: 'Switch slots/alerts pane',
    scope: 'global',
    footer: true,
    run: nav.focusNext,
  },
  {
    id: 'up',
    keys: ['up', 'k'],
    keyLabel: '↑/k',
    title: 'up',
    help: 'Move up',
    scope: 'global',
    footer: false,
    run: (ctx) => nav.moveSelection(ctx, -1),
  },
  {
    id: 'down',
    keys: ['down', 'j'],
    keyLabel: '↓/j',
    title: 'down',
    help: 'Move down',
    scope: 'global',
    footer: false,
    run: (ctx) => nav.moveSelection(ctx, 1),
  },
  {
    id: 'page',
    keys: ['pageup', 'pagedown'],
    keyLabel: 'PgUp/PgDn',
    title: 'page',
    help: 'Move a page up/down',
    scope: 'global',
    footer: false,
    run: (ctx) => nav.moveSelection(ctx, ctx.key.name === 'pageup' ? -nav.PAGE : nav.PAGE),
  },
  {
    id: 'jump',
    keys: DIGITS,
    keyLabel: '1-9,0',
    title: 'workspace',
    help: 'Jump to workspace (0 = 10th)',
    scope: 'global',
    footer: false,
    run: nav.jumpToWorkspace,
  },
  {
    id: 'fold',
    keys: ['left', 'right', 'h', 'l'],
    keyLabel: '←/→',
    title: 'fold',
    help: 'Collapse/expand workspace',
    scope: 'slots',
    footer: false,
    run: (ctx) => nav.fold(ctx, ctx.key.name === 'left' || ctx.key.name === 'h'),
  },
  {
    id: 'open',
    keys: ['enter'],
    keyLabel: 'enter',
    title: 'open',
    help: 'Fold/attach/alert details',
    scope: 'global',
    footer: false,
    run: nav.openSelected,
  },
  {
    id: 'attach',
    keys: ['a'],
    keyLabel: 'a',
    title: 'attach',
    help: 'Attach to the slot terminal',
    scope: 'global',
    footer: true,
    run: act.attach,
  },
  {
    id: 'detach',
    keys: [DETACH_KEY],
    keyLabel: DETACH_LABEL,
    title: 'detach',
    help: 'Detach from the terminal pane',
    scope: 'global',
    footer: false,
    run: nav.detach,
  },
  {
    id: 'zoom',
    keys: ['z'],
    keyLabel: 'z',
    title: 'zoom',
    help: 'Toggle full-screen terminal',
    scope: 'global',
    footer: false,
    run: nav.toggleZoom,
  },
  {
    id: 'pause',
    keys: ['p'],
    keyLabel: 'p',
    title: 'pause',
    help: 'Pause (freeze) the container',
    scope: 'global',
    footer: true,
    run: act.pause,
  },
  {
    id: 'resume',
    keys: ['r'],
    keyLabel: 'r',
    title: 'resume',
    help: 'Resume a paused container',
    scope: 'global',
    footer: true,
    run: act.resume,
  },
  {
    id: 'kill',
    keys: ['K'],
    keyLabel: 'K',
    title: 'kill',
    help: 'Kill container (asks first)',
    scope: 'global',
    footer: true,
    run: act.kill,
  },
  {
    id: 'snapshot',
    keys: ['S'],
    keyLabel: 'S',
    title: 'snap',
    help: 'Snapshot the container',
    scope: 'global',
    footer: true,
    run: act.snapshot,
  },
  {
    id: 'new-slot',
    keys: ['n'],
    keyLabel: 'n',
    title: 'new',
    help: 'New slot in the workspace',
    scope: 'global',
    footer: true,
    run: act.newSlot,
  },
  {
    id: 'shutdown',
    keys: ['D'],
    keyLabel: 'D',
    title: 'shutdown',
    help: 'Shut down container (asks)',
    scope: 'global',
    footer: true,
    run: act.shutdown,
  },
  {
    id: 'ack',
    keys: ['A'],
    keyLabel: 'A',
    title: 'ack',
    help: 'Acknowledge alert(s)',
    scope: 'global',
    footer: true,
    run: (ctx) => act.ack(ctx),
  },
  {
    id: 'pause-flagged',
    keys: ['P'],
    keyLabel: 'P',
    title: 'pause flagged',
    help: 'Pause all flagged containers',
    scope: 'global',
    footer: false,
    run: act.pauseFlagged,
  },
  {
    id: 'kill-flagged',
    keys: ['X'],
    keyLabel: 'X',
    title: 'kill flagged',
    help: 'Kill all flagged (type count)',
    scope: 'global',
    footer: false,
    run: act.killFlagged,
  },
  {
    id: 'filter',
    keys: ['/'],
    keyLabel: '/',
    title: 'filter',
    help: 'Filter: state: sev: ws: tool:',
    scope: 'global',
    footer: true,
    run: nav.startFilter,
  },
  {
    id: 'clear',
    keys: ['escape'],
    keyLabel: 'esc',
    title: 'clear',
    help: 'Clear the filter',
    scope: 'global',
    footer: false,
    run: nav.clearOrBack,
  },
  {
    id: 'sort',
    keys: ['s'],
    keyLabel: 's',
    title: 'sort',
    help: 'Cycle sort order of slots',
    scope: 'global',
    footer: true,
    run: nav.cycleSort,
  },
];

export function findCommand(keyName: string, focus: 'slots' | 'alerts'): Command | undefined {
  return COMMANDS.find(
    (c) => c.keys.includes(keyName) && (c.scope === 'global' || c.scope === focus),
  );
}
