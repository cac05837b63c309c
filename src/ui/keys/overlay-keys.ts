import { ack } from '../actions/container-actions.js';
import type { CommandContext } from './context.js';

/** Lines PgUp/PgDn scroll the help by. */
export const HELP_PAGE = 10;

export function close({ store }: CommandContext): void {
  store.getState().closeOverlay();
}

/** Moves the help's first line by `step`; the overlay clamps it to what it can show. */
export function scrollHelp({ store }: CommandContext, step: number): void {
  const state = store.getState();
  const { overlay } = state.ui;
  if (overlay.kind !== 'help') return;
  state.openOverlay({ kind: 'help', scroll: Math.max(0, overlay.scroll + step) });
}

export function ackShownAlert(ctx: CommandContext): void {
  const { overlay } = ctx.store.getState().ui;
  if (overlay.kind === 'alert-detail') ack(ctx, overlay.alertId);
}
