export { App, type AppProps } from './App.js';
export type { TuiActions } from './actions/tui-actions.js';
export { createTuiStore, type TuiState, type TuiStore, type TuiStoreApi } from './state/store.js';
export type * from './state/types.js';
export { COMMANDS, DETACH_KEY } from './keys/commands.js';
export type { Command } from './keys/command.js';
export type { PassthroughSink } from './keys/input-router.js';
export { HotRegionWriter } from './hot-region/hot-region-writer.js';
export { computeLayout, type Layout, type Size } from './layout/layout.js';
export {
  TerminalController,
  type TerminalView,
  type PaneScreen,
} from './terminal/terminal-controller.js';
export type { PtyCommand } from './terminal/pty-session.js';
export { ROOM_MOUSE_ON } from './terminal/mode-mirror.js';
