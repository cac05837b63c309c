/**
 * Column math in terminal cells, with the libraries Ink itself measures and truncates with
 * (string-width, cli-truncate), so a row we fit to N cells is N cells to Ink too.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/**
 * One cell per character: most table cells (names, figures, states) are measured and cut without
 * the width tables, the same answer as the libraries' for this text (each metrics tick re-fits
 * every changed cell of every visible row).
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Cuts text to at most `width` cells (as string-width counts them), ending with an ellipsis when
 * something was cut. cli-truncate 5 with slice-ansi 8 (Ink 6.8's) can go over: it keeps a wide
 * character that straddles the cut (sindresorhus/cli-truncate#28, fixed in cli-truncate 6.1.1) and
 * counts a halfwidth kana with its sound mark as one cell where string-width counts two. So it is
 * asked again with less room until its answer fits; text that fits or a plain cut takes one call.
 */
export function truncate(text: string, width: number): string {
  if (PRINTABLE_ASCII.test(text)) {
    if (text.length <= width) return text;
    return width > 0 ? `${text.slice(0, width - 1)}…` : '';
  }
  for (let room = width; room > 0; room -= 1) {
    const cut = cliTruncate(text, room);
    if (cut === text || stringWidth(cut) <= width) return cut;
  }
  return '';
}

/** Truncates, then pads with spaces to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const used = PRINTABLE_ASCII.test(text) ? Math.min(text.length, width) : stringWidth(cut);
  const pad = ' '.repeat(Math.max(0, width - used));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Removes control characters so untrusted text (alert titles, evidence) cannot move the cursor. */
export function sanitize(text: string): string {
  return text.replace(/[\p{Cc}]/gu, ' ');
}
