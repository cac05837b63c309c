import type { Segment } from './segments.js';

/** SGR foreground codes of the colour names the UI uses (chalk's names, as Ink takes them). */
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

function sgr(segment: Segment, inverse: boolean): string {
  const codes: number[] = [];
  if (segment.bold) codes.push(1);
  if (segment.dim) codes.push(2);
  if (inverse) codes.push(7);
  const color = segment.color === undefined ? undefined : FOREGROUND[segment.color];
  if (segment.color !== undefined && color === undefined)
    throw new Error(`No SGR code for colour "${segment.color}": add it to FOREGROUND`);
  if (color !== undefined) codes.push(color);
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
