import stringWidth from 'string-width';
import { truncate } from './text-width.js';

/** A run of equally styled text inside one screen line. */
export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

const sameStyle = (a: Segment, b: Segment) =>
  a.color === b.color && !!a.bold === !!b.bold && !!a.dim === !!b.dim;

/** Joins neighbours with the same style: fewer text nodes make Ink's per-frame work cheaper. */
export function mergeSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const last = out.at(-1);
    if (last && sameStyle(last, segment))
      out[out.length - 1] = { ...last, text: last.text + segment.text };
    else out.push(segment);
  }
  return out;
}

/**
 * Cuts segments so their total width is at most `width`; with `pad`, fills the rest with blanks
 * (needed when the whole row is drawn inverse).
 */
export function fitSegments(segments: readonly Segment[], width: number, pad = true): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    const room = width - used;
    if (room <= 0) break;
    const w = stringWidth(segment.text);
    if (w <= room) {
      out.push(segment);
      used += w;
    } else {
      const text = truncate(segment.text, room);
      out.push({ ...segment, text });
      used += stringWidth(text);
      break;
    }
  }
  if (pad && used < width) out.push({ text: ' '.repeat(width - used) });
  return mergeSegments(out);
}
