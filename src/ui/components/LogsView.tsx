import { Box } from 'ink';
import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { formatClock } from '../format/units.js';
import { wrapText } from '../format/wrap.js';
import type { Rect } from '../layout/layout.js';
import { scrollWindow } from '../layout/scroll-window.js';
import { severityColor, severityLabel } from '../state/severity.js';
import type { ThreatAlert } from '../state/types.js';
import { evidenceLines } from './evidence-lines.js';
import { Line } from './Line.js';

/** The session log, scrolled around the cursor line (the newest line while following). */
export function SessionLogView({
  rect,
  lines,
  selected,
  follow,
}: {
  rect: Rect;
  lines: string[];
  selected: number;
  follow: boolean;
}) {
  if (lines.length === 0)
    return (
      <Line
        segments={[{ text: ' The session log is empty so far', dim: true }]}
        width={rect.width}
      />
    );
  const window = scrollWindow(lines.length, rect.height, selected);
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      {lines.slice(window.start, window.end).map((line, i) => (
        <Line
          key={window.start + i}
          segments={[
            { text: ` ${sanitize(line)}`, ...(line.startsWith('[ERR] ') ? { color: 'red' } : {}) },
          ]}
          width={rect.width}
          inverse={!follow && window.start + i === selected}
        />
      ))}
    </Box>
  );
}

function recordLine(record: ThreatAlert): Segment[] {
  return [
    { text: ` ${formatClock(record.time)} ` },
    { text: severityLabel(record.severity), color: severityColor(record.severity), bold: true },
    { text: ` ${record.action.padEnd(8)} ${sanitize(record.title)}` },
  ];
}

/** Audit records newest first, the selected one's evidence expanded below the list. */
export function AuditView({
  rect,
  records,
  selected,
}: {
  rect: Rect;
  records: ThreatAlert[];
  selected: number;
}) {
  if (records.length === 0)
    return (
      <Line
        segments={[{ text: ' No audit records for this container', dim: true }]}
        width={rect.width}
      />
    );
  const listHeight = Math.max(1, Math.min(records.length, Math.floor(rect.height / 2)));
  const window = scrollWindow(records.length, listHeight, selected);
  const record = records[selected];
  const evidence = record
    ? [
        ...(record.description ? wrapText(sanitize(record.description), rect.width - 3) : []),
        ...evidenceLines(record.evidence).flatMap((l) => wrapText(l, rect.width - 3)),
      ]
    : [];
  const room = rect.height - listHeight - 1;
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      {records.slice(window.start, window.end).map((r, i) => (
        <Line
          key={r.id}
          segments={recordLine(r)}
          width={rect.width}
          inverse={window.start + i === selected}
        />
      ))}
      <Line segments={[{ text: ' Evidence', bold: true }]} width={rect.width} />
      {evidence.slice(0, Math.max(0, room)).map((l, i) => (
        <Line key={i} segments={[{ text: `   ${l}` }]} width={rect.width} />
      ))}
    </Box>
  );
}
