/**
 * Terminal cell width of strings, close to what Ink measures (string-width): RGI emoji and East
 * Asian wide/fullwidth characters take 2 cells, combining marks and controls take 0.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Built at runtime: the `v` flag is newer than the compile target, but Node 20 supports it.
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cc}\p{Cf}]+$/u;

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

// Latin, punctuation, arrows and box drawing: one cell per code unit, no emoji, no combining marks.
const NARROW_ONLY =
  /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u257f]*$/;

/** Single BMP characters outside the symbol blocks are never emoji; skip the costly regex. */
function mayBeEmoji(grapheme: string, first: number): boolean {
  return grapheme.length > 1 || (first >= 0x2300 && first <= 0x2bff) || first >= 0x3030;
}

function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0) ?? 0;
  // Latin text without controls: one cell, no need for the slower checks below.
  if (grapheme.length === 1 && first >= 0x20 && first < 0x300 && (first < 0x7f || first > 0xad)) {
    return 1;
  }
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (mayBeEmoji(grapheme, first) && EMOJI.test(grapheme)) return 2;
  return WIDE_RANGES.some(([lo, hi]) => first >= lo && first <= hi) ? 2 : 1;
}

export function displayWidth(text: string): number {
  if (NARROW_ONLY.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Cuts text to at most `width` cells, ending with an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (NARROW_ONLY.test(text)) return text.slice(0, width - 1) + '…';
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** Truncates, then pads with spaces to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Removes control characters so untrusted text (alert titles, evidence) cannot move the cursor. */
export function sanitize(text: string): string {
  return text.replace(/[\p{Cc}]/gu, ' ');
}
