import { Box, useApp } from 'ink';
import { useMemo } from 'react';
import type { TuiActions } from './actions.js';
import { Body } from './components/Body.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { StatusLine } from './components/StatusLine.js';
import { TooSmall } from './components/TooSmall.js';
import { createInputRouter, type PassthroughSink } from './keys/input-router.js';
import { useInputRouter } from './keys/use-input-router.js';
import { computeLayout, type Size } from './layout/layout.js';
import { useTerminalSize } from './layout/use-terminal-size.js';
import { unackedCounts } from './state/alert-selectors.js';
import type { TuiStoreApi } from './state/store.js';
import { useNow } from './state/use-now.js';
import { DEFAULT_FRAME_MS, useTuiState } from './state/use-tui-state.js';
import { deriveView } from './state/view.js';

export interface AppProps {
  store: TuiStoreApi;
  actions: TuiActions;
  /** Pins the terminal size instead of following stdout (tests). */
  size?: Size;
  /** Clock for uptimes (tests pass a fixed one). */
  clock?: () => number;
  /** Minimum time between renders; store events in between are coalesced. */
  frameMs?: number;
  /** Receives raw input while a terminal pane is attached. */
  passthrough?: PassthroughSink;
  /** Called before the app exits on `q`. */
  onQuit?: () => void;
}

export function App({
  store,
  actions,
  size,
  clock,
  frameMs = DEFAULT_FRAME_MS,
  passthrough,
  onQuit,
}: AppProps) {
  const state = useTuiState(store, frameMs);
  const { exit } = useApp();
  const route = useMemo(
    () =>
      createInputRouter(
        {
          store,
          actions,
          exit: () => {
            onQuit?.();
            exit();
          },
        },
        passthrough,
      ),
    [store, actions, exit, onQuit, passthrough],
  );
  useInputRouter(route);
  const terminal = useTerminalSize(size);
  const now = useNow(clock);
  const view = useMemo(() => deriveView(state), [state]);

  const layout = computeLayout(terminal, { banner: state.connection.state !== 'connected' });
  if (layout.kind === 'too-small') return <TooSmall size={layout.size} />;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height} overflowY="hidden">
      <Header
        width={layout.width}
        instances={Object.values(state.instances)}
        workspaceCount={state.workspaces.length}
        unacked={unackedCounts(state.alerts)}
      />
      {layout.banner && <ConnectionBanner width={layout.width} connection={state.connection} />}
      <Body layout={layout} state={state} view={view} now={now} />
      <StatusLine width={layout.width} status={state.status} />
      <Footer
        width={layout.width}
        focus={state.ui.focus}
        filter={state.ui.filter}
        filterErrors={view.parsed.errors}
      />
    </Box>
  );
}
