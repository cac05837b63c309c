import { Box } from 'ink';
import type { Segment } from '../format/segments.js';
import { fit } from '../format/text-width.js';
import { commandsIn } from '../keys/commands.js';
import { MODE_STACKS } from '../keys/key-matchers.js';
import { MOUSE_HELP } from '../keys/mouse-commands.js';
import type { Rect } from '../layout/layout.js';
import { FILTER_SYNTAX } from '../state/filter.js';
import { Line } from './Line.js';
import { modeHints } from './mode-hints.js';

const KEY_WIDTH = 10;
const MIN_COLUMN_WIDTH = 38;

/** One entry per dashboard command, laid out in as many columns as the width allows. */
function commandLines(width: number): Segment[][] {
  const commands = commandsIn('dashboard');
  const columns = Math.max(1, Math.floor(width / MIN_COLUMN_WIDTH));
  const columnWidth = Math.floor(width / columns);
  const perColumn = Math.ceil(commands.length / columns);
  const lines: Segment[][] = [];
  for (let row = 0; row < perColumn; row++) {
    const segments: Segment[] = [];
    for (let col = 0; col < columns; col++) {
      const command = commands[col * perColumn + row];
      if (!command) continue;
      segments.push(
        { text: fit(` ${command.keyLabel}`, KEY_WIDTH), bold: true, color: 'cyan' },
        { text: fit(command.help, columnWidth - KEY_WIDTH) },
      );
    }
    lines.push(segments);
  }
  return lines;
}

/** `?` overlay generated from the command registry; scrolls when it does not fit. */
export function HelpOverlay({ rect, scroll }: { rect: Rect; scroll: number }) {
  const lines = [
    ...commandLines(rect.width),
    [{ text: ` Filter: ${FILTER_SYNTAX}`, dim: true }],
    [
      {
        text: ' Flagged = open warning+ alert or frozen by threat; sev: means at least',
        dim: true,
      },
    ],
    [{ text: ` ${MOUSE_HELP}`, dim: true }],
  ];
  const room = rect.height - 1;
  const offset = Math.min(scroll, Math.max(0, lines.length - room));
  const shown = lines.length > room ? ` (${offset + 1}-${offset + room} of ${lines.length})` : '';
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <Line
        segments={[
          { text: ' Keys', bold: true },
          { text: `  ${modeHints(MODE_STACKS.help)}${shown}`, dim: true },
        ]}
        width={rect.width}
      />
      {lines.slice(offset, offset + room).map((segments, i) => (
        <Line key={offset + i} segments={segments} width={rect.width} />
      ))}
    </Box>
  );
}
