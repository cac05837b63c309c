import { displayWidth, truncate } from './text-width.js';

/** Greedy word wrap to `width` cells; words longer than a line are cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (displayWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = displayWidth(word) <= width ? word : truncate(word, width);
    }
    lines.push(line);
  }
  return lines;
}
