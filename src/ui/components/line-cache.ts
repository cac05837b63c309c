import { segmentsToAnsi } from '../format/ansi.js';
import { fitSegments, type Segment } from '../format/segments.js';

const ansiLines = new WeakMap<readonly Segment[], Map<string, string>>();

/**
 * A row's segments fitted to `width` as one ANSI line, computed once per segments array (rows
 * keep their segments array while their content is unchanged, so this is once per row version).
 */
export function ansiLine(segments: readonly Segment[], width: number, inverse: boolean): string {
  let byShape = ansiLines.get(segments);
  if (!byShape) ansiLines.set(segments, (byShape = new Map()));
  const shape = `${width}:${inverse}`;
  let line = byShape.get(shape);
  if (line === undefined) {
    line = segmentsToAnsi(fitSegments(segments, width, true), inverse);
    byShape.set(shape, line);
  }
  return line;
}
