import type { RoomActions } from '../../core/control-room/actions.js';
import type { TerminalController, TuiActions } from '../../ui/index.js';

/** The dashboard's actions: container actions from core, attach through the terminal pane. */
export function tuiActions(room: RoomActions, terminal: TerminalController): TuiActions {
  return {
    attach: (name) => terminal.attach(name),
    pause: (name) => room.pause(name),
    resume: (name) => room.resume(name),
    kill: (name) => room.kill(name),
    snapshot: (name) => room.snapshot(name),
    newSlot: (workspace) => room.newSlot(workspace),
    shutdown: (name) => room.shutdown(name),
    ack: (id) => room.ack(id),
  };
}
