import type { RoomActions } from '../../core/control-room/actions.js';
import type { SlotViewActions } from '../../core/control-room/slot-view-actions.js';
import { buildRoomImage } from '../../core/control-room/build-image.js';
import { defaultBuildSettings } from '../../core/image/build-default.js';
import type { TerminalController, TuiActions } from '../../ui/index.js';
import type { CliContext } from '../context.js';

/** The dashboard's actions: container actions from core, attach through the terminal pane. */
export function tuiActions(
  room: RoomActions,
  views: SlotViewActions,
  terminal: TerminalController,
  ctx: Pick<CliContext, 'incus' | 'coiDir' | 'loaded'>,
): TuiActions {
  return {
    slotImage: (workspace) => room.slotImage(workspace),
    buildImage: (onProgress) =>
      buildRoomImage(ctx.incus, ctx.coiDir, defaultBuildSettings(ctx.loaded.config), onProgress),
    attach: (name) => terminal.attach(name),
    pause: (name) => room.pause(name),
    resume: (name) => room.resume(name),
    kill: (name) => room.kill(name),
    snapshot: (name) => room.snapshot(name),
    newSlot: (workspace) => room.newSlot(workspace),
    shutdown: (name) => room.shutdown(name),
    ack: (id) => room.ack(id),
    watchSlotView: (view, name, sink) => views.watch(view, name, sink),
    killProcess: (name, pid) => views.killProcess(name, pid),
    restoreSnapshot: (name, snapshot, stopFirst) =>
      views.restoreSnapshot(name, snapshot, stopFirst),
    deleteSnapshot: (name, snapshot) => views.deleteSnapshot(name, snapshot),
    changeAllowlist: (verb, name, domain) => views.changeAllowlist(verb, name, domain),
  };
}
