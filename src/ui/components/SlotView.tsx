import { Box } from 'ink';
import type { SlotViewKind } from '../../core/control-room/slot-view-types.js';
import { MODE_STACKS } from '../keys/key-matchers.js';
import type { Rect } from '../layout/layout.js';
import {
  clampedSelection,
  slotAuditRecords,
  slotDetailSections,
  slotLogLines,
  slotNetwork,
  slotProcesses,
  slotSnapshots,
} from '../state/slot-view-selectors.js';
import type { TuiState } from '../state/store.js';
import type { SlotViewOverlay } from '../state/ui-types.js';
import { DetailsView } from './DetailsView.js';
import { Line } from './Line.js';
import { AuditView, SessionLogView } from './LogsView.js';
import { modeHints } from './mode-hints.js';
import { NetworkView } from './NetworkView.js';
import { ProcessesView } from './ProcessesView.js';
import { SnapshotsView } from './SnapshotsView.js';

const TITLE: Record<SlotViewKind, string> = {
  processes: 'Processes',
  details: 'Details',
  logs: 'Logs',
  snapshots: 'Snapshots',
  network: 'Network',
};

function countLabel(state: TuiState, open: SlotViewOverlay): string {
  switch (open.view) {
    case 'processes': {
      const n = slotProcesses(state, open)?.length;
      return n === undefined ? '' : ` · ${n} processes, by CPU`;
    }
    case 'snapshots': {
      const n = slotSnapshots(state, open)?.length;
      return n === undefined ? '' : ` · ${n} snapshots`;
    }
    case 'logs':
      return open.logsTab === 'session'
        ? ` · session log${open.follow ? ' (following)' : ''}`
        : ' · audit records, newest first';
    case 'network': {
      const n = slotNetwork(state, open)?.length;
      return n === undefined
        ? ''
        : ` · ${n} decisions, newest first${open.follow ? ' (following)' : ''}`;
    }
    case 'details':
      return '';
  }
}

interface SlotViewProps {
  rect: Rect;
  state: TuiState;
  open: SlotViewOverlay;
  now: number;
}

/** The view's content, or what it is waiting for. */
function Content({ rect, state, open, now }: SlotViewProps) {
  const selected = clampedSelection(state, open);
  const waiting = (
    <Line segments={[{ text: ` Reading ${open.container}…`, dim: true }]} width={rect.width} />
  );
  switch (open.view) {
    case 'processes': {
      const processes = slotProcesses(state, open);
      return processes ? (
        <ProcessesView rect={rect} processes={processes} selected={selected} />
      ) : (
        waiting
      );
    }
    case 'snapshots': {
      const snapshots = slotSnapshots(state, open);
      return snapshots ? (
        <SnapshotsView rect={rect} snapshots={snapshots} selected={selected} />
      ) : (
        waiting
      );
    }
    case 'network': {
      const decisions = slotNetwork(state, open);
      return decisions ? (
        <NetworkView rect={rect} decisions={decisions} selected={selected} />
      ) : (
        waiting
      );
    }
    case 'details': {
      const sections = slotDetailSections(state, open, now);
      return sections ? (
        <DetailsView rect={rect} sections={sections} selected={selected} />
      ) : (
        waiting
      );
    }
    case 'logs': {
      if (open.logsTab === 'audit')
        return (
          <AuditView
            rect={rect}
            records={slotAuditRecords(state, open.container)}
            selected={selected}
          />
        );
      const lines = slotLogLines(state, open);
      return lines ? (
        <SessionLogView rect={rect} lines={lines} selected={selected} follow={open.follow} />
      ) : (
        waiting
      );
    }
  }
}

/** One per-slot view over the body: a title line with its keys, an error line, the content. */
export function SlotView({ rect, state, open, now }: SlotViewProps) {
  const error = state.slotViewError;
  const contentRect = { ...rect, height: rect.height - 1 - (error ? 1 : 0) };
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <Line
        segments={[
          { text: ` ${TITLE[open.view]} · ${open.container}`, bold: true },
          { text: countLabel(state, open), dim: true },
          { text: `   ${modeHints(MODE_STACKS[open.view])}`, dim: true },
        ]}
        width={rect.width}
      />
      {error && <Line segments={[{ text: ` ${error}`, color: 'red' }]} width={rect.width} />}
      <Content rect={contentRect} state={state} open={open} now={now} />
    </Box>
  );
}
