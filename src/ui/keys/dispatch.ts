import type { TuiStore } from '../state/store.js';
import type { Command } from './command.js';
import type { CommandContext } from './context.js';
import type { KeyPress } from './decode-keys.js';
import { insertText } from './field-keys.js';
import { activeModes, commandFor } from './key-matchers.js';

export type DispatchContext = Omit<CommandContext, 'key'>;

/**
 * Why a command that needs Incus cannot run now: Incus stopped answering. While the first
 * connection is still being made the command is let through (it fails on its own if Incus is away).
 */
function offlineReason(state: TuiStore, command: Command): string | undefined {
  if (!command.needsIncus || state.connection.state !== 'retrying') return undefined;
  return `Incus unreachable — retrying: ${command.title} refused until it answers again`;
}

/**
 * Runs a command; a dangerous one only after the user confirms what it would do; one that needs
 * Incus not while Incus is away (the status line says so).
 */
export function runCommand(command: Command, ctx: CommandContext): void {
  const state = ctx.store.getState();
  const offline = offlineReason(state, command);
  if (offline !== undefined)
    return state.setStatus({ tone: 'error', text: offline, whileOffline: true });
  if (!command.dangerous) return command.run(ctx);
  const prepared = command.prepare(ctx);
  if (prepared)
    ctx.store.getState().openConfirm({ ...prepared.consequence, onConfirm: prepared.run });
}

/**
 * Routes one decoded key to the command bound to it in the live modes; a key no command takes
 * types into the focused text field, if there is one. While a dialog or text field has the
 * keyboard, no dashboard command can fire.
 */
export function dispatchKey(ctx: DispatchContext, key: KeyPress): void {
  const state = ctx.store.getState();
  const modes = activeModes(state);
  const command = commandFor(modes, state.ui.focus, key);
  if (command) return runCommand(command, { ...ctx, key });
  if (key.text !== undefined && modes.includes('field')) insertText(ctx.store, key.text);
}
