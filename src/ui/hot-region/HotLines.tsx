import { Box } from 'ink';
import { createContext, useContext, useId, useLayoutEffect } from 'react';
import type { HotRegionWriter, RegionPlace } from './hot-region-writer.js';

/** The writer the tables draw through; absent (tests, Ink-only rendering) they draw with Ink. */
export const HotRegionContext = createContext<HotRegionWriter | undefined>(undefined);

export const useHotRegion = () => useContext(HotRegionContext);

interface HotLinesProps {
  writer: HotRegionWriter;
  place: RegionPlace;
  /** Lines Ink leaves blank for the region (at least `lines.length`). */
  height: number;
  /** ANSI lines, each exactly `place.width` cells wide. */
  lines: readonly string[];
}

/** A region drawn by the hot-region writer: Ink lays out an empty box of its size. */
export function HotLines({ writer, place, height, lines }: HotLinesProps) {
  const id = useId();
  const { x, y, width } = place;
  useLayoutEffect(() => writer.set(id, { x, y, width }, lines), [writer, id, x, y, width, lines]);
  useLayoutEffect(() => () => writer.remove(id), [writer, id]);
  return <Box width={width} height={height} />;
}
