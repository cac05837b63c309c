import { sanitize } from '../format/text-width.js';
import type { StatusMessage } from '../state/types.js';
import { Line } from './Line.js';

const TONE_COLOR = { info: undefined, success: 'green', error: 'red' } as const;
const TONE_MARK = { info: '·', success: '✓', error: '✗' } as const;

interface StatusLineProps {
  width: number;
  status?: StatusMessage;
}

export function StatusLine({ width, status }: StatusLineProps) {
  if (!status) return <Line segments={[{ text: ' Ready', dim: true }]} width={width} />;
  return (
    <Line
      segments={[
        {
          text: ` ${TONE_MARK[status.tone]} ${sanitize(status.text)}`,
          color: TONE_COLOR[status.tone],
        },
      ]}
      width={width}
    />
  );
}
