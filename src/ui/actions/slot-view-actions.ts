import type { PreparedAction } from '../keys/command.js';
import type { CommandContext } from '../keys/context.js';
import { openSlotView } from '../keys/slot-view-keys.js';
import {
  clampedSelection,
  slotNetwork,
  slotProcesses,
  slotSnapshots,
} from '../state/slot-view-selectors.js';
import type { TuiState } from '../state/store.js';
import type { SlotViewOverlay } from '../state/ui-types.js';
import { runAction } from './run-action.js';

/** The open view's container and the row selected in it, or a status line saying what is missing. */
function selectedIn<T>(
  ctx: CommandContext,
  rowsOf: (state: TuiState, open: SlotViewOverlay) => T[] | undefined,
  what: string,
): { container: string; row: T } | undefined {
  const state = ctx.store.getState();
  const open = openSlotView(state);
  if (!open) return undefined;
  const row = rowsOf(state, open)?.[clampedSelection(state, open)];
  if (row === undefined) state.setStatus({ tone: 'error', text: `No ${what} selected` });
  return row === undefined ? undefined : { container: open.container, row };
}

export function killProcess(ctx: CommandContext): PreparedAction | undefined {
  const picked = selectedIn(ctx, slotProcesses, 'process');
  if (!picked) return undefined;
  const { container, row } = picked;
  return {
    consequence: {
      title: 'Kill process?',
      lines: [
        `Container: ${container}`,
        `PID:       ${row.pid} (host)`,
        `User:      ${row.user || '-'}`,
        `Command:   ${row.command}`,
        '',
        'SIGTERM is sent to the process from the host.',
      ],
      confirmLabel: 'Kill',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: `Killing process ${row.pid} of ${container}…`,
        call: () => ctx.actions.killProcess(container, row.pid),
        done: () => `Sent SIGTERM to process ${row.pid} of ${container}`,
        failed: `Kill process ${row.pid} failed`,
      }),
  };
}

export function createSnapshot(ctx: CommandContext): void {
  const open = openSlotView(ctx.store.getState());
  if (!open) return;
  const { container } = open;
  void runAction(ctx.store, {
    doing: `Snapshotting ${container}…`,
    call: () => ctx.actions.snapshot(container),
    done: (snap) => `Snapshot ${snap} of ${container} created`,
    failed: `Snapshot of ${container} failed`,
  });
}

/**
 * Restores the selected snapshot; a container that is up is offered to be stopped for it, except
 * an ephemeral session, which stopping would end.
 */
export function restoreSnapshot(ctx: CommandContext): PreparedAction | undefined {
  const picked = selectedIn(ctx, slotSnapshots, 'snapshot');
  if (!picked) return undefined;
  const { container, row } = picked;
  const state = ctx.store.getState();
  const instance = state.instances[container];
  const up = instance !== undefined && instance.state !== 'stopped';
  if (up && !instance.persistent) {
    state.setStatus({
      tone: 'error',
      text: `${container} is an ephemeral session: stopping it to restore would end it; make it persistent first (\`coi persist ${container}\`)`,
    });
    return undefined;
  }
  const lines = [`Container: ${container}`, `Snapshot:  ${row.name} (${row.createdAt})`, ''];
  return {
    consequence: up
      ? {
          title: 'Stop and restore snapshot?',
          lines: [
            ...lines,
            `${container} is ${instance.state}: it is stopped first, then its disk is`,
            `put back to ${row.name}; it stays stopped. Changes since are lost.`,
          ],
          confirmLabel: 'Stop & restore',
        }
      : {
          title: 'Restore snapshot?',
          lines: [...lines, `Its disk is put back to ${row.name}; changes since are lost.`],
          confirmLabel: 'Restore',
        },
    run: () =>
      void runAction(ctx.store, {
        doing: `${up ? 'Stopping and restoring' : 'Restoring'} ${container} to ${row.name}…`,
        call: () => ctx.actions.restoreSnapshot(container, row.name, up),
        done: () => `Restored ${container} to ${row.name}${up ? ' (it is stopped)' : ''}`,
        failed: `Restore of ${container} failed`,
      }),
  };
}

export function deleteSnapshot(ctx: CommandContext): PreparedAction | undefined {
  const picked = selectedIn(ctx, slotSnapshots, 'snapshot');
  if (!picked) return undefined;
  const { container, row } = picked;
  return {
    consequence: {
      title: 'Delete snapshot?',
      lines: [
        `Container: ${container}`,
        `Snapshot:  ${row.name} (${row.createdAt})`,
        '',
        'The snapshot is deleted for good.',
      ],
      confirmLabel: 'Delete',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: `Deleting snapshot ${row.name} of ${container}…`,
        call: () => ctx.actions.deleteSnapshot(container, row.name),
        done: () => `Deleted snapshot ${row.name} of ${container}`,
        failed: `Delete of snapshot ${row.name} failed`,
      }),
  };
}

/** The selected row of the network tail when it names a host with the given verdict. */
function selectedName(
  ctx: CommandContext,
  verdict: 'refused' | 'allowed',
  verb: string,
): { container: string; name: string } | undefined {
  const picked = selectedIn(ctx, slotNetwork, 'network decision');
  if (!picked) return undefined;
  const { container, row } = picked;
  if (row.verdict === verdict && row.name) return { container, name: row.name };
  ctx.store.getState().setStatus({
    tone: 'error',
    text: `Nothing to ${verb}: select a row with a ${verdict} name (this one is ${row.verdict}${row.name ? ` ${row.name}` : ' and names no host'})`,
  });
  return undefined;
}

/** Puts the selected refused name on the slot's allowlist, live. */
export function allowName(ctx: CommandContext): void {
  const picked = selectedName(ctx, 'refused', 'allow');
  if (!picked) return;
  const { container, name } = picked;
  void runAction(ctx.store, {
    doing: `Allowing ${name} for ${container}…`,
    call: () => ctx.actions.changeAllowlist('allow', container, name),
    done: (message) => `${message} (live; recorded in the audit log)`,
    failed: `Allowing ${name} failed`,
  });
}

/** Takes the selected allowed name off the slot's allowlist, live (asks first). */
export function blockName(ctx: CommandContext): PreparedAction | undefined {
  const picked = selectedName(ctx, 'allowed', 'block');
  if (!picked) return undefined;
  const { container, name } = picked;
  return {
    consequence: {
      title: 'Block name?',
      lines: [
        `Container: ${container}`,
        `Name:      ${name}`,
        '',
        'It leaves the allowlist now: lookups are refused, the proxy refuses it by SNI/Host',
        'and its learned addresses leave the firewall. Connections already open may go on.',
      ],
      confirmLabel: 'Block',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: `Blocking ${name} for ${container}…`,
        call: () => ctx.actions.changeAllowlist('block', container, name),
        done: (message) => `${message} (live; recorded in the audit log)`,
        failed: `Blocking ${name} failed`,
      }),
  };
}
