import { Box } from 'ink';
import type { Segment } from '../format/segments.js';
import { fit } from '../format/text-width.js';
import { COMMANDS } from '../keys/commands.js';
import type { Rect } from '../layout/layout.js';
import { FILTER_SYNTAX } from '../state/filter.js';
import { Line } from './Line.js';

const KEY_WIDTH = 10;
const MIN_COLUMN_WIDTH = 38;

/** `?` overlay: every registered command, generated from the registry, in as many columns as fit. */
export function HelpOverlay({ rect }: { rect: Rect }) {
  const columns = Math.max(1, Math.floor(rect.width / MIN_COLUMN_WIDTH));
  const columnWidth = Math.floor(rect.width / columns);
  const perColumn = Math.ceil(COMMANDS.length / columns);
  const lines: Segment[][] = [];
  for (let row = 0; row < perColumn; row++) {
    const segments: Segment[] = [];
    for (let col = 0; col < columns; col++) {
      const command = COMMANDS[col * perColumn + row];
      if (!command) continue;
      segments.push(
        { text: fit(` ${command.keyLabel}`, KEY_WIDTH), bold: true, color: 'cyan' },
        { text: fit(command.help, columnWidth - KEY_WIDTH) },
      );
    }
    lines.push(segments);
  }
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflow="hidden">
      <Line
        segments={[
          { text: ' Keys', bold: true },
          { text: '  (esc or ? closes)', dim: true },
        ]}
        width={rect.width}
      />
      {lines.map((segments, i) => (
        <Line key={i} segments={segments} width={rect.width} />
      ))}
      <Line segments={[{ text: ` Filter: ${FILTER_SYNTAX}`, dim: true }]} width={rect.width} />
      <Line
        segments={[
          {
            text: ' Flagged = open warning+ alert or frozen by threat; sev: means at least',
            dim: true,
          },
        ]}
        width={rect.width}
      />
    </Box>
  );
}
