import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { DETACH_LABEL } from '../keys/commands.js';
import { MODE_STACKS } from '../keys/key-matchers.js';
import type { FilterState, Pane } from '../state/ui-types.js';
import { footerHints } from './footer-hints.js';
import { Line } from './Line.js';
import { modeHints } from './mode-hints.js';

interface FooterProps {
  width: number;
  focus: Pane;
  filter: FilterState;
  filterErrors: readonly string[];
  /** Container whose terminal has the keyboard. */
  attached?: string;
}

/** Key hints, or the filter field while it has focus. */
export function Footer({ width, focus, filter, filterErrors, attached }: FooterProps) {
  if (attached !== undefined) {
    return (
      <Line
        width={width}
        segments={[
          { text: ` ${DETACH_LABEL}`, bold: true, color: 'cyan' },
          { text: ` detach · every other key goes to ${attached}`, dim: true },
        ]}
      />
    );
  }
  if (!filter.editing) return <Line segments={footerHints(focus, width)} width={width} />;
  const segments: Segment[] = [
    { text: ' /', bold: true, color: 'cyan' },
    { text: sanitize(filter.text) },
    { text: '█', color: 'cyan' },
    filterErrors.length > 0
      ? { text: `  ${filterErrors[0]}`, color: 'red' }
      : { text: `  ${modeHints(MODE_STACKS.filter)}`, dim: true },
  ];
  return <Line segments={segments} width={width} />;
}
