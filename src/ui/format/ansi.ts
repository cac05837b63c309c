import type { Segment } from './segments.js';

/** SGR foreground codes of chalk's colour names (what Ink's `color` takes). */
const FOREGROUND: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  grey: 90,
  blackBright: 90,
  redBright: 91,
  greenBright: 92,
  yellowBright: 93,
  blueBright: 94,
  magentaBright: 95,
  cyanBright: 96,
  whiteBright: 97,
};

const RESET = '\x1b[0m';

/** A chalk colour name or `#rrggbb` as SGR parameters. */
function foreground(color: string): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex)
    return `38;2;${hex
      .slice(1)
      .map((h) => parseInt(h, 16))
      .join(';')}`;
  const code = FOREGROUND[color];
  if (code === undefined)
    throw new Error(`No SGR code for colour "${color}": add it to FOREGROUND`);
  return String(code);
}

function sgr(segment: Segment, inverse: boolean): string {
  const codes: string[] = [];
  if (segment.bold) codes.push('1');
  if (segment.dim) codes.push('2');
  if (inverse) codes.push('7');
  if (segment.color !== undefined) codes.push(foreground(segment.color));
  return codes.length === 0 ? '' : `\x1b[${codes.join(';')}m`;
}

/**
 * One screen line as the terminal takes it: each segment in its own style, attributes reset after
 * each, so the line can be written anywhere without inheriting or leaking a style. Segments must
 * already be fitted to the line's width (see fitSegments).
 */
export function segmentsToAnsi(segments: readonly Segment[], inverse = false): string {
  let out = '';
  for (const segment of segments) {
    const style = sgr(segment, inverse);
    out += style === '' ? segment.text : `${style}${segment.text}${RESET}`;
  }
  return out;
}
