import { Box } from 'ink';
import { wrapText } from '../format/wrap.js';
import { MIN_COLS, MIN_ROWS, type Size } from '../layout/layout.js';
import { Line } from './Line.js';

/** Shown instead of the dashboard when the terminal is below the minimum size. */
export function TooSmall({ size }: { size: Size }) {
  const width = Math.max(1, size.cols);
  const height = Math.max(1, size.rows - 1);
  const message = `Terminal too small: ${size.cols}×${size.rows}. coi needs at least ${MIN_COLS}×${MIN_ROWS}. Enlarge the window, or press q to quit.`;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {wrapText(message, width)
        .slice(0, height)
        .map((line, i) => (
          <Line key={i} segments={[{ text: line, bold: i === 0 }]} width={width} />
        ))}
    </Box>
  );
}
