import { Box, Text } from 'ink';
import { memo } from 'react';
import { fitSegments, type Segment } from '../format/segments.js';

interface LineProps {
  segments: readonly Segment[];
  width: number;
  inverse?: boolean;
}

/**
 * Exactly one screen row: styled segments cut and padded to `width`, never wrapping. Memoised:
 * a row whose segments array is the same object does not re-render.
 */
export const Line = memo(function Line({ segments, width, inverse = false }: LineProps) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" inverse={inverse}>
        {fitSegments(segments, width, inverse).map((s, i) => (
          <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
});
