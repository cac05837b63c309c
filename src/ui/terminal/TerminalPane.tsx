import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import stringWidth from 'string-width';
import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { Line } from '../components/Line.js';
import { ansiLine } from '../components/line-cache.js';
import { HotLines, useHotRegion } from '../hot-region/HotLines.js';
import { DETACH_LABEL } from '../keys/commands.js';
import type { Rect } from '../layout/layout.js';
import type { ThreatAlert } from '../state/types.js';
import type { TerminalView } from './terminal-controller.js';
import { usePaneScreen } from './use-terminal-pane.js';
import { fitRuns, runsToAnsi, type ScreenSnapshot, type StyledRun } from './screen-snapshot.js';

export interface TerminalPaneProps {
  rect: Rect;
  /** Container the pane is attached to. */
  name: string;
  /** Its screen; undefined until the session has started. */
  screen?: ScreenSnapshot;
  /** Set while the container is frozen: input is held, an overlay says why. */
  frozen?: { byThreat: boolean; heldBytes: number };
  /** Newest high/critical alert since attaching: shown in the title row, input stays here. */
  banner?: ThreatAlert;
}

/**
 * A frame replaces only the rows that changed: the others keep their row object and string.
 * Keyed by width too: the hot-region writer needs rows of exactly the pane's width.
 */
const ansiOfRow = new WeakMap<readonly StyledRun[], { width: number; ansi: string }>();
function rowAnsi(line: readonly StyledRun[], width: number): string {
  let cached = ansiOfRow.get(line);
  if (cached?.width !== width) {
    cached = { width, ansi: runsToAnsi(fitRuns(line, width)) };
    ansiOfRow.set(line, cached);
  }
  return cached.ansi;
}

/** One pty row, pre-rendered as an SGR string: a string prop keeps React's diff cheap. */
const PaneRow = memo(function PaneRow({ ansi, width }: { ansi: string; width: number }) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">{ansi}</Text>
    </Box>
  );
});

function titleSegments(name: string, width: number, banner?: ThreatAlert): Segment[] {
  const chord = ` ${DETACH_LABEL} detach `;
  if (banner) {
    const text = ` ⚠ ${banner.severity.toUpperCase()} ${banner.container}: ${sanitize(banner.title)} — ${DETACH_LABEL}, then tab to review `;
    return [{ text, bold: true, color: 'red' }];
  }
  const left = `─ ${name} `;
  const fill = Math.max(1, width - stringWidth(left) - stringWidth(chord) - 1);
  return [
    { text: '─ ', color: 'cyan' },
    { text: name, bold: true, color: 'cyan' },
    { text: ` ${'─'.repeat(fill)}`, color: 'cyan' },
    { text: chord, bold: true, color: 'cyan' },
    { text: '─', color: 'cyan' },
  ];
}

function frozenLines(frozen: { byThreat: boolean; heldBytes: number }): string[] {
  const why = frozen.byThreat ? 'frozen by the threat responder' : 'paused';
  const held = frozen.heldBytes > 0 ? ` (${frozen.heldBytes} bytes waiting)` : '';
  return [
    ` FROZEN — the container is ${why} `,
    ` Your typing is held${held} and sent when it resumes `,
    ` ${DETACH_LABEL} detaches; r on the slot resumes it `,
  ];
}

/** What one pane row shows: the frozen overlay, a pty row, or blank (or "Starting…"). */
type PaneRowContent =
  | { kind: 'overlay'; segments: Segment[] }
  | { kind: 'pty'; line: readonly StyledRun[] }
  | { kind: 'blank'; segments: Segment[] };

const BLANK: Segment[] = [{ text: '', dim: true }];
const STARTING: Segment[] = [{ text: ' Starting the terminal…', dim: true }];

function paneRows(
  innerRows: number,
  screen: ScreenSnapshot | undefined,
  frozen: TerminalPaneProps['frozen'],
): PaneRowContent[] {
  const overlay = frozen ? frozenLines(frozen) : [];
  const overlayTop = Math.max(0, Math.floor((innerRows - overlay.length) / 2));
  const color = frozen?.byThreat ? 'red' : 'blue';
  const rows: PaneRowContent[] = [];
  for (let y = 0; y < innerRows; y++) {
    const line = screen?.lines[y];
    const overlayLine = overlay[y - overlayTop];
    if (overlayLine !== undefined) {
      rows.push({ kind: 'overlay', segments: [{ text: overlayLine, bold: true, color }] });
    } else if (line) rows.push({ kind: 'pty', line });
    else rows.push({ kind: 'blank', segments: y === 0 && !screen ? STARTING : BLANK });
  }
  return rows;
}

/**
 * The attached terminal: a title row with the detach chord, then the pty screen, cell for cell.
 * With the hot-region writer the screen rows bypass Ink's output step (a pane frame is ~3 kB of
 * styled text that Ink would tokenize cell by cell on every frame): only changed rows are
 * written, right after React's commit instead of at Ink's next throttled frame.
 */
export function TerminalPane({ rect, name, screen, frozen, banner }: TerminalPaneProps) {
  const writer = useHotRegion();
  const innerRows = rect.height - 1;
  const rows = paneRows(innerRows, screen, frozen);
  const { width } = rect;
  // A stable title keeps its memoised Line from re-fitting on every pane frame.
  const title = useMemo(() => titleSegments(name, width, banner), [name, width, banner]);
  return (
    <Box flexDirection="column" width={width} height={rect.height} overflowY="hidden">
      <Line width={width} inverse={banner !== undefined} segments={title} />
      {writer ? (
        <HotLines
          writer={writer}
          place={{ x: rect.x, y: rect.y + 1, width }}
          height={innerRows}
          lines={rows.map((row) =>
            row.kind === 'pty'
              ? rowAnsi(row.line, width)
              : ansiLine(row.segments, width, row.kind === 'overlay'),
          )}
        />
      ) : (
        rows.map((row, y) =>
          row.kind === 'pty' ? (
            <PaneRow key={y} ansi={rowAnsi(row.line, width)} width={width} />
          ) : (
            <Line key={y} width={width} inverse={row.kind === 'overlay'} segments={row.segments} />
          ),
        )
      )}
    </Box>
  );
}

export interface LivePaneProps extends Omit<TerminalPaneProps, 'screen' | 'frozen'> {
  terminal?: TerminalView;
  /** Set while the container is frozen (the held byte count comes from the session). */
  frozen?: { byThreat: boolean };
}

/** The attached pane, subscribed to the terminal itself: its frames re-render only the pane. */
export function LivePane({ terminal, frozen, ...props }: LivePaneProps) {
  const pane = usePaneScreen(terminal);
  return (
    <TerminalPane
      {...props}
      screen={pane?.name === props.name ? pane.screen : undefined}
      frozen={frozen && { ...frozen, heldBytes: pane?.heldBytes ?? 0 }}
    />
  );
}
