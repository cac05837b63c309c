import { Box } from 'ink';
import type { DetailSection } from '../../core/control-room/slot-view-types.js';
import { fit, sanitize } from '../format/text-width.js';
import type { Rect } from '../layout/layout.js';
import { scrollWindow } from '../layout/scroll-window.js';
import { detailLines } from '../state/slot-view-selectors.js';
import { Line } from './Line.js';

const LABEL_WIDTH = 12;

/** The details panel: section titles and label/value rows, scrolled around the cursor line. */
export function DetailsView({
  rect,
  sections,
  selected,
}: {
  rect: Rect;
  sections: DetailSection[];
  selected: number;
}) {
  const lines = detailLines(sections);
  const window = scrollWindow(lines.length, rect.height, selected);
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      {lines.slice(window.start, window.end).map((line, i) => {
        const index = window.start + i;
        const segments =
          line.kind === 'title'
            ? [{ text: ` ${line.text}`, bold: true, color: 'cyan' }]
            : [
                { text: `   ${fit(line.label, LABEL_WIDTH)} `, dim: true },
                { text: sanitize(line.value) },
              ];
        return (
          <Line key={index} segments={segments} width={rect.width} inverse={index === selected} />
        );
      })}
    </Box>
  );
}
