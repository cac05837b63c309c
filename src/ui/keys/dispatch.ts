import type { Command } from './command.js';
import type { CommandContext } from './context.js';
import type { KeyPress } from './decode-keys.js';
import { insertText } from './field-keys.js';
import { activeModes, commandFor } from './key-matchers.js';

export type DispatchContext = Omit<CommandContext, 'key'>;

/** Runs a command; a dangerous one only after the user confirms what it would do. */
export function runCommand(command: Command, ctx: CommandContext): void {
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
