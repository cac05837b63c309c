import { Box } from 'ink';
import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { formatClock } from '../format/units.js';
import { wrapText } from '../format/wrap.js';
import type { Rect } from '../layout/layout.js';
import { severityColor, severityLabel } from '../state/severity.js';
import type { ThreatAlert } from '../state/types.js';
import { MODE_STACKS } from '../keys/key-matchers.js';
import { evidenceLines } from './evidence-lines.js';
import { Line } from './Line.js';
import { modeHints } from './mode-hints.js';

interface AlertDetailProps {
  rect: Rect;
  alert: ThreatAlert | undefined;
}

/** Full record of one alert, evidence included. */
export function AlertDetail({ rect, alert }: AlertDetailProps) {
  const width = rect.width;
  if (!alert) {
    return (
      <Line
        segments={[{ text: ' Alert no longer exists (esc closes)', dim: true }]}
        width={width}
      />
    );
  }
  const text = (t: string, style: Omit<Segment, 'text'> = {}): Segment[] => [{ text: t, ...style }];
  const lines: Segment[][] = [
    [
      {
        text: ` ${severityLabel(alert.severity)} `,
        color: severityColor(alert.severity),
        bold: true,
      },
      { text: sanitize(alert.title), bold: true },
    ],
    text(
      ` ${formatClock(alert.time)} · action: ${alert.action} · ${alert.acknowledged ? 'acknowledged' : 'NOT acknowledged'}`,
    ),
    text(
      ` container ${alert.container} · slot ${alert.slot} · workspace ${sanitize(alert.workspace)}`,
    ),
    ...(alert.category ? [text(` category: ${alert.category}`)] : []),
    ...wrapText(sanitize(alert.description ?? ''), width - 2).map((l) => text(` ${l}`)),
    text(' Evidence', { bold: true }),
    ...evidenceLines(alert.evidence).flatMap((l) =>
      wrapText(l, width - 3).map((w) => text(`   ${w}`)),
    ),
  ];
  const room = rect.height - 1;
  const shown =
    lines.length > room
      ? [
          ...lines.slice(0, room - 1),
          text(` … ${lines.length - room + 1} more lines`, { dim: true }),
        ]
      : lines;
  return (
    <Box flexDirection="column" width={width} height={rect.height} overflowY="hidden">
      {shown.map((segments, i) => (
        <Line key={i} segments={segments} width={width} />
      ))}
      <Line
        segments={text(` ${modeHints(MODE_STACKS.alertDetail)}`, { dim: true })}
        width={width}
      />
    </Box>
  );
}
