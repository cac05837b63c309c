import { displayWidth, truncate } from './text-width.js';

/** A run of equally styled text inside one screen line. */
export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/** Cuts segments so their total width is at most `width`; pads with a blank segment to fill. */
export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    const room = width - used;
    if (room <= 0) break;
    const w = displayWidth(segment.text);
    if (w <= room) {
      out.push(segment);
      used += w;
    } else {
      const text = truncate(segment.text, room);
      out.push({ ...segment, text });
      used += displayWidth(text);
      break;
    }
  }
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}
