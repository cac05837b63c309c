import wrapAnsi from 'wrap-ansi';
import { truncate } from './text-width.js';

/** Word wrap to `width` cells; a word longer than a line gets a line of its own, cut to fit. */
export function wrapText(text: string, width: number): string[] {
  return wrapAnsi(text, width)
    .split('\n')
    .map((line) => truncate(line, width));
}
