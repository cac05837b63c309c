import { Box, useApp } from 'ink';
import { useMemo, useRef } from 'react';
import type { TuiActions } from './actions/tui-actions.js';
import { AlertQueue, Body } from './components/Body.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { StatusLine } from './components/StatusLine.js';
import { TooSmall } from './components/TooSmall.js';
import { nextUptimeChange } from './format/units.js';
import { HotRegionContext } from './hot-region/HotLines.js';
import type { HotRegionWriter } from './hot-region/hot-region-writer.js';
import { createInputRouter, type PassthroughSink } from './keys/input-router.js';
import { handleMouse, paneMouseBytes } from './keys/mouse-commands.js';
import { useInputRouter } from './keys/use-input-router.js';
import {
  computeLayout,
  terminalInner,
  terminalRect,
  type Layout,
  type Size,
} from './layout/layout.js';
import { useTerminalSize } from './layout/use-terminal-size.js';
import { needYouCount } from './state/agent-state.js';
import { unackedCounts } from './state/alert-selectors.js';
import type { TuiState, TuiStoreApi } from './state/store.js';
import { useNow } from './state/use-now.js';
import { useSlotViewFeed } from './state/use-slot-view-feed.js';
import { DEFAULT_FRAME_MS, useTuiState } from './state/use-tui-state.js';
import { deriveView } from './state/view.js';
import type { TerminalView } from './terminal/terminal-controller.js';
import { LivePane } from './terminal/TerminalPane.js';
import { useAttachBanner, usePaneSize } from './terminal/use-terminal-pane.js';

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
  /** The embedded terminal shown while `ui.attached` is set. */
  terminal?: TerminalView;
  /** Draws the tables itself, bypassing Ink's output step; Ink must write to its `stream`. */
  hotRegion?: HotRegionWriter;
}

/** The next moment a shown uptime changes; never when no slot has one. */
function nextUptimeTick(instances: TuiState['instances'], now: number): number {
  let next = Infinity;
  for (const { startedAt } of Object.values(instances)) {
    if (startedAt !== undefined) next = Math.min(next, nextUptimeChange(startedAt, now));
  }
  return next;
}

export function App({ hotRegion, ...props }: AppProps) {
  return (
    <HotRegionContext.Provider value={hotRegion}>
      <Room {...props} />
    </HotRegionContext.Provider>
  );
}

function Room({
  store,
  actions,
  size,
  clock,
  frameMs = DEFAULT_FRAME_MS,
  passthrough,
  onQuit,
  terminal: terminalView,
}: Omit<AppProps, 'hotRegion'>) {
  const state = useTuiState(store, frameMs);
  const { exit } = useApp();
  // The mouse is hit-tested against the layout last drawn.
  const drawn = useRef<Layout | undefined>(undefined);
  const route = useMemo(() => {
    const ctx = {
      store,
      actions,
      exit: () => {
        onQuit?.();
        exit();
      },
    };
    return createInputRouter(ctx, passthrough, {
      onMouse: (event) => handleMouse(ctx, drawn.current, event),
      forPane: (event) =>
        terminalView?.tracksMouse?.()
          ? paneMouseBytes(drawn.current, store.getState().ui.zoomed, event)
          : undefined,
    });
  }, [store, actions, exit, onQuit, passthrough, terminalView]);
  useInputRouter(route);
  useSlotViewFeed(store, actions, state.ui.overlay);
  const terminal = useTerminalSize(size);
  const now = useNow(clock, (t) => nextUptimeTick(state.instances, t));
  const view = useMemo(() => deriveView(state), [state]);

  const layout = computeLayout(terminal, { banner: state.connection.state !== 'connected' });
  drawn.current = layout;
  const paneRect = layout.kind === 'too-small' ? undefined : terminalRect(layout, state.ui.zoomed);
  usePaneSize(
    terminalView,
    paneRect ? terminalInner(paneRect) : { cols: terminal.cols, rows: terminal.rows },
  );
  const attached = state.ui.attached;
  const banner = useAttachBanner(attached, state.alerts);
  if (layout.kind === 'too-small') return <TooSmall size={layout.size} />;

  const attachedInstance = attached === undefined ? undefined : state.instances[attached];
  const terminalPane = paneRect && attached !== undefined && (
    <LivePane
      terminal={terminalView}
      rect={paneRect}
      name={attached}
      banner={banner}
      frozen={
        attachedInstance?.state === 'frozen'
          ? { byThreat: attachedInstance.frozenByThreat }
          : undefined
      }
    />
  );
  if (terminalPane && state.ui.zoomed) {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height} overflowY="hidden">
        {terminalPane}
      </Box>
    );
  }
  const counts = unackedCounts(state.alerts);
  const body = !terminalPane ? (
    <Body layout={layout} state={state} view={view} now={now} />
  ) : layout.kind === 'stacked' ? (
    terminalPane
  ) : (
    <Box flexDirection="row" width={layout.body.width} height={layout.body.height} columnGap={1}>
      {terminalPane}
      <AlertQueue layout={layout} state={state} view={view} focused={false} />
    </Box>
  );
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height} overflowY="hidden">
      <Header
        width={layout.width}
        instances={Object.values(state.instances)}
        workspaceCount={state.workspaces.length}
        unacked={counts}
        needYou={needYouCount(state)}
      />
      {layout.banner && <ConnectionBanner width={layout.width} connection={state.connection} />}
      {body}
      <StatusLine width={layout.width} status={state.status} />
      <Footer
        width={layout.width}
        focus={state.ui.focus}
        filter={state.ui.filter}
        filterErrors={view.parsed.errors}
        attached={attached}
      />
    </Box>
  );
}
