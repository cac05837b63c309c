import { flaggedInstances } from '../state/alert-selectors.js';
import type { TuiStore } from '../state/store.js';
import type { SlotInstance } from '../state/types.js';
import { deriveView, selectedAlert, selectedWorkspace, targetInstance } from '../state/view.js';
import type { SlotImageInfo } from './tui-actions.js';
import type { PreparedAction } from '../keys/command.js';
import type { CommandContext } from '../keys/context.js';
import { runAction, runBulk } from './run-action.js';

/** The container a command acts on, or a status line explaining why there is none. */
function requireTarget({ store }: CommandContext, verb: string): SlotInstance | undefined {
  const state = store.getState();
  const instance = targetInstance(state, deriveView(state));
  if (!instance) {
    state.setStatus({
      tone: 'error',
      text: `Nothing to ${verb}: select a slot (or an alert of a live container)`,
    });
  }
  return instance;
}

function describe(instance: SlotInstance): string {
  return `${instance.name} (slot ${instance.slot}, ${instance.workspace})`;
}

export function attach(ctx: CommandContext): void {
  const target = requireTarget(ctx, 'attach to');
  if (!target) return;
  void runAction(ctx.store, {
    doing: `Attaching to ${target.name}…`,
    call: async () => {
      await ctx.actions.attach(target.name);
      ctx.store.getState().setAttached(target.name);
    },
    done: () => `Attached to ${describe(target)}`,
    failed: `Attach to ${target.name} failed`,
  });
}

export function pause(ctx: CommandContext): void {
  const target = requireTarget(ctx, 'pause');
  if (!target) return;
  if (target.state === 'frozen') {
    ctx.store.getState().setStatus({ tone: 'info', text: `${target.name} is already paused` });
    return;
  }
  void runAction(ctx.store, {
    doing: `Pausing ${target.name}…`,
    call: () => ctx.actions.pause(target.name),
    done: () => `Paused ${describe(target)}`,
    failed: `Pause ${target.name} failed`,
  });
}

export function resume(ctx: CommandContext): void {
  const target = requireTarget(ctx, 'resume');
  if (!target) return;
  if (target.state !== 'frozen') {
    ctx.store
      .getState()
      .setStatus({ tone: 'info', text: `${target.name} is ${target.state}, not paused` });
    return;
  }
  void runAction(ctx.store, {
    doing: `Resuming ${target.name}…`,
    call: () => ctx.actions.resume(target.name),
    done: () => `Resumed ${describe(target)}`,
    failed: `Resume ${target.name} failed`,
  });
}

export function snapshot(ctx: CommandContext): void {
  const target = requireTarget(ctx, 'snapshot');
  if (!target) return;
  void runAction(ctx.store, {
    doing: `Snapshotting ${target.name}…`,
    call: () => ctx.actions.snapshot(target.name),
    done: (snap) => `Snapshot ${snap} of ${describe(target)} created`,
    failed: `Snapshot of ${target.name} failed`,
  });
}

function confirmLines(instance: SlotInstance, consequence: string): string[] {
  return [
    `Container: ${instance.name}`,
    `Slot:      ${instance.slot}`,
    `Workspace: ${instance.workspace}`,
    '',
    consequence,
  ];
}

export function kill(ctx: CommandContext): PreparedAction | undefined {
  const target = requireTarget(ctx, 'kill');
  if (!target) return undefined;
  return {
    consequence: {
      title: 'Kill container?',
      lines: confirmLines(
        target,
        'The container is force-deleted; work not in the workspace is lost.',
      ),
      confirmLabel: 'Kill',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: `Killing ${target.name}…`,
        call: () => ctx.actions.kill(target.name),
        done: () => `Killed ${describe(target)}`,
        failed: `Kill ${target.name} failed`,
      }),
  };
}

export function shutdown(ctx: CommandContext): PreparedAction | undefined {
  const target = requireTarget(ctx, 'shut down');
  if (!target) return undefined;
  const consequence = target.persistent
    ? 'The container is stopped; it is kept and can be started again.'
    : 'The container is ephemeral: stopping it deletes it.';
  return {
    consequence: {
      title: 'Shut down container?',
      lines: confirmLines(target, consequence),
      confirmLabel: 'Shut down',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: `Shutting down ${target.name}…`,
        call: () => ctx.actions.shutdown(target.name),
        done: () => `Shut down ${describe(target)}`,
        failed: `Shutdown of ${target.name} failed`,
      }),
  };
}

export function newSlot(ctx: CommandContext): void {
  const state = ctx.store.getState();
  const workspace = selectedWorkspace(state, deriveView(state));
  if (workspace === undefined) {
    state.setStatus({
      tone: 'error',
      text: 'No workspace selected: move to a workspace or one of its slots',
    });
    return;
  }
  void startSlot(ctx, workspace);
}

/** A new slot, unless its image is missing: then the status line says so and how to build it. */
async function startSlot(ctx: CommandContext, workspace: string): Promise<void> {
  let image: SlotImageInfo;
  try {
    image = await ctx.actions.slotImage(workspace);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    ctx.store
      .getState()
      .setStatus({ tone: 'error', text: `New slot in ${workspace} failed: ${text}` });
    return;
  }
  if (image.missing) {
    ctx.store.getState().setStatus({
      tone: 'error',
      text: image.buildable
        ? `${image.image} is not built, so a new slot would have no agent: press B to build it (${image.estimate})`
        : `Image ${image.image} does not exist: build it with \`coi build\` or set another [container] image`,
    });
    return;
  }
  await runAction(ctx.store, {
    doing: `Starting a new slot in ${workspace}…`,
    call: () => ctx.actions.newSlot(workspace),
    done: (name) => `Started ${name} in ${workspace}`,
    failed: `New slot in ${workspace} failed`,
  });
}

/** Builds the agents' image on this host, asked first: it takes minutes. */
export function buildImage(ctx: CommandContext): PreparedAction {
  return {
    consequence: {
      title: 'Build the agents’ image?',
      lines: [
        'coi-default (the image new slots start from, with the agents) is built on this host.',
        'That takes minutes; the control room stays usable and the status line shows progress.',
      ],
      confirmLabel: 'Build',
    },
    run: () =>
      void runAction(ctx.store, {
        doing: 'Building coi-default…',
        call: () =>
          ctx.actions.buildImage((line) =>
            ctx.store.getState().setStatus({ tone: 'info', text: `Building coi-default: ${line}` }),
          ),
        done: (image) => `Built ${image}: press n for a new slot`,
        failed: 'Building coi-default failed',
      }),
  };
}

function ackIds(state: TuiStore, ids: string[], label: string, ctx: CommandContext): void {
  if (ids.length === 0) {
    state.setStatus({ tone: 'info', text: `No unacknowledged alerts for ${label}` });
    return;
  }
  void runAction(ctx.store, {
    doing: `Acknowledging ${ids.length} alert(s) for ${label}…`,
    call: async () => {
      for (const id of ids) {
        await ctx.actions.ack(id);
        ctx.store.getState().ackAlert(id);
      }
    },
    done: () => `Acknowledged ${ids.length} alert(s) for ${label}`,
    failed: `Acknowledge for ${label} failed`,
  });
}

/** In the alert queue: the selected alert. On a slot: all of that container's open alerts. */
export function ack(ctx: CommandContext, alertId?: string): void {
  const state = ctx.store.getState();
  const view = deriveView(state);
  if (alertId !== undefined || state.ui.focus === 'alerts') {
    const alert = state.alerts.find((a) => a.id === alertId) ?? selectedAlert(view);
    if (!alert) {
      state.setStatus({ tone: 'error', text: 'No alert selected' });
      return;
    }
    ackIds(state, alert.acknowledged ? [] : [alert.id], `"${alert.title}"`, ctx);
    return;
  }
  const target = requireTarget(ctx, 'acknowledge');
  if (!target) return;
  const ids = state.alerts
    .filter((a) => a.container === target.name && !a.acknowledged)
    .map((a) => a.id);
  ackIds(state, ids, target.name, ctx);
}

function flaggedOrExplain(ctx: CommandContext): SlotInstance[] {
  const state = ctx.store.getState();
  const flagged = flaggedInstances(state);
  if (flagged.length === 0) {
    state.setStatus({
      tone: 'info',
      text: 'No flagged containers (none with open warning+ alerts)',
    });
  }
  return flagged;
}

function listNames(instances: SlotInstance[]): string {
  const names = instances.map((i) => i.name);
  return names.length <= 4
    ? names.join(', ')
    : `${names.slice(0, 4).join(', ')} +${names.length - 4} more`;
}

export function pauseFlagged(ctx: CommandContext): PreparedAction | undefined {
  const flagged = flaggedOrExplain(ctx).filter((i) => i.state === 'running');
  if (flagged.length === 0) return undefined;
  return {
    consequence: {
      title: `Pause ${flagged.length} flagged container(s)?`,
      lines: [listNames(flagged)],
      confirmLabel: 'Pause all',
    },
    run: () =>
      void runBulk(
        ctx.store,
        {
          doing: `Pausing ${flagged.length} flagged containers…`,
          verbPast: 'Paused',
          verb: 'pause',
          targets: flagged.map((i) => i.name),
        },
        (name) => ctx.actions.pause(name),
      ),
  };
}

export function killFlagged(ctx: CommandContext): PreparedAction | undefined {
  const flagged = flaggedOrExplain(ctx);
  if (flagged.length === 0) return undefined;
  return {
    consequence: {
      title: `Kill ${flagged.length} flagged container(s)?`,
      lines: [listNames(flagged), '', `Type ${flagged.length} and press Enter to kill them all.`],
      confirmLabel: 'Kill all',
      typeToConfirm: String(flagged.length),
    },
    run: () =>
      void runBulk(
        ctx.store,
        {
          doing: `Killing ${flagged.length} flagged containers…`,
          verbPast: 'Killed',
          verb: 'kill',
          targets: flagged.map((i) => i.name),
        },
        (name) => ctx.actions.kill(name),
      ),
  };
}
