import { Box } from 'ink';
import type { PanesLayout } from '../layout/layout.js';
import { unackedCounts } from '../state/alert-selectors.js';
import type { TuiState } from '../state/store.js';
import type { View } from '../state/view.js';
import { AlertDetail } from './AlertDetail.js';
import { AlertsPane } from './AlertsPane.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { HelpOverlay } from './HelpOverlay.js';
import { SlotsPane } from './SlotsPane.js';
import { SlotView } from './SlotView.js';

interface BodyProps {
  layout: PanesLayout;
  state: TuiState;
  view: View;
  now: number;
}

/** The area between header and status line: the two panes, or the open overlay. */
export function Body({ layout, state, view, now }: BodyProps) {
  const { overlay, focus } = state.ui;
  if (overlay.kind === 'help') return <HelpOverlay rect={layout.body} scroll={overlay.scroll} />;
  if (overlay.kind === 'confirm')
    return <ConfirmDialog rect={layout.body} confirm={overlay.confirm} />;
  if (overlay.kind === 'alert-detail') {
    const alert = state.alerts.find((a) => a.id === overlay.alertId);
    return <AlertDetail rect={layout.body} alert={alert} />;
  }
  if (overlay.kind === 'slot-view')
    return <SlotView rect={layout.body} state={state} open={overlay} now={now} />;
  return (
    <Box
      flexDirection={layout.kind === 'stacked' ? 'column' : 'row'}
      width={layout.body.width}
      height={layout.body.height}
      columnGap={layout.kind === 'stacked' ? 0 : 1}
    >
      <SlotsPane
        rect={layout.slots}
        rows={view.rows}
        selected={view.rowIndex}
        focused={focus === 'slots'}
        sort={state.ui.sort}
        filterText={state.ui.filter.text}
        now={now}
      />
      <AlertQueue layout={layout} state={state} view={view} focused={focus === 'alerts'} />
    </Box>
  );
}

/** The alert queue's pane, beside or below the slots, or beside the terminal. */
export function AlertQueue({
  layout,
  state,
  view,
  focused,
}: Omit<BodyProps, 'now'> & { focused: boolean }) {
  const counts = unackedCounts(state.alerts);
  return (
    <AlertsPane
      rect={layout.alerts}
      alerts={view.alerts}
      total={state.alerts.length}
      unacked={counts.info + counts.warning + counts.high + counts.critical}
      selected={view.alertIndex}
      focused={focused}
    />
  );
}
