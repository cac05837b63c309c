import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { Line } from '../components/Line.js';
import { DETACH_LABEL } from '../keys/commands.js';
import type { Rect } from '../layout/layout.js';
import type { ThreatAlert } from '../state/types.js';
import { runsToAnsi, type ScreenSnapshot, type StyledRun } from './screen-snapshot.js';

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

/** A frame replaces only the rows that changed: the others keep their row object and string. */
const ansiOfRow = new WeakMap<readonly StyledRun[], string>();
function rowAnsi(line: readonly StyledRun[]): string {
  let ansi = ansiOfRow.get(line);
  if (ansi === undefined) {
    ansi = runsToAnsi(line);
    ansiOfRow.set(line, ansi);
  }
  return ansi;
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

/** The attached terminal: a title row with the detach chord, then the pty screen, cell for cell. */
export function TerminalPane({ rect, name, screen, frozen, banner }: TerminalPaneProps) {
  const innerRows = rect.height - 1;
  const overlay = frozen ? frozenLines(frozen) : [];
  const overlayTop = Math.max(0, Math.floor((innerRows - overlay.length) / 2));
  const rows = [];
  for (let y = 0; y < innerRows; y++) {
    const line = screen?.lines[y];
    const overlayLine = overlay[y - overlayTop];
    if (overlayLine !== undefined) {
      rows.push(
        <Line
          key={y}
          width={rect.width}
          inverse
          segments={[{ text: overlayLine, bold: true, color: frozen?.byThreat ? 'red' : 'blue' }]}
        />,
      );
    } else if (line) {
      rows.push(<PaneRow key={y} ansi={rowAnsi(line)} width={rect.width} />);
    } else {
      const text = y === 0 && !screen ? ' Starting the terminal…' : '';
      rows.push(<Line key={y} width={rect.width} segments={[{ text, dim: true }]} />);
    }
  }
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <Line
        width={rect.width}
        inverse={banner !== undefined}
        segments={titleSegments(name, rect.width, banner)}
      />
      {rows}
    </Box>
  );
}
