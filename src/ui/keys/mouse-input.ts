/**
 * Mouse reports in the raw input: SGR (mode 1006, `ESC [ < b ; x ; y M|m`), which the control room
 * asks for, and the legacy X10 encoding (`ESC [ M b x y`), which a terminal without 1006 sends
 * instead. Both are cut out of the input here, before key decoding, so a click can never be read
 * as keys nor reach an attached pane as stray bytes.
 */

export type MouseAction = 'press' | 'release' | 'motion' | 'wheel-up' | 'wheel-down';

export interface MouseEvent {
  action: MouseAction;
  /** The report's button code as sent (button, modifiers, motion and wheel bits). */
  code: number;
  /** 0 left, 1 middle, 2 right, 3 none (a release in X10 or a motion without button). */
  button: number;
  /** 0-based screen cell. */
  x: number;
  y: number;
}

export type InputPiece = { text: string } | { mouse: MouseEvent };

const ESC = '\x1b';
const SGR = new RegExp(`${ESC}\\[<(\\d+);(\\d+);(\\d+)([Mm])`, 'y');
/** What the end of a chunk looks like when a mouse report was cut off by the read. */
const PARTIAL = new RegExp(`${ESC}(?:\\[(?:<[\\d;]*|M[\\s\\S]{0,2})?)?$`);
const X10_LENGTH = 6;
const X10_OFFSET = 32;

function eventOf(code: number, x: number, y: number, released: boolean): MouseEvent {
  const button = code & 3;
  const at = { code, button, x: x - 1, y: y - 1 };
  if (code & 64) return { action: button === 0 ? 'wheel-up' : 'wheel-down', ...at };
  if (code & 32) return { action: 'motion', ...at };
  return { action: released ? 'release' : 'press', ...at };
}

/** The report starting at `i`, and where it ends; undefined when there is none. */
function reportAt(input: string, i: number): { mouse: MouseEvent; end: number } | undefined {
  SGR.lastIndex = i;
  const sgr = SGR.exec(input);
  if (sgr) {
    const [, code, x, y, final] = sgr;
    return {
      mouse: eventOf(Number(code), Number(x), Number(y), final === 'm'),
      end: SGR.lastIndex,
    };
  }
  if (input.startsWith('\x1b[M', i) && input.length >= i + X10_LENGTH) {
    const [code, x, y] = [3, 4, 5].map((k) => input.charCodeAt(i + k) - X10_OFFSET) as [
      number,
      number,
      number,
    ];
    // X10 reports a release as button 3 and has no separate final byte for it.
    return { mouse: eventOf(code, x, y, (code & 3) === 3), end: i + X10_LENGTH };
  }
  return undefined;
}

/**
 * Splits raw input into text and mouse reports, in order. A report cut off at the end of a chunk
 * is held until the next one: always when it has begun (`ESC [ <`, `ESC [ M`), and for a bare
 * `ESC` or `ESC [` only after other input in the same chunk (an Escape key press arrives alone in
 * its chunk, and must not wait). `flush` gives back what is held when no continuation came.
 */
export class MouseSplitter {
  private held = '';

  get holding(): boolean {
    return this.held !== '';
  }

  split(chunk: string): InputPiece[] {
    const input = this.held + chunk;
    this.held = '';
    const pieces: InputPiece[] = [];
    let textStart = 0;
    let i = input.indexOf('\x1b');
    while (i >= 0) {
      const report = reportAt(input, i);
      if (report) {
        if (i > textStart) pieces.push({ text: input.slice(textStart, i) });
        pieces.push({ mouse: report.mouse });
        textStart = report.end;
        i = input.indexOf('\x1b', report.end);
      } else {
        i = input.indexOf('\x1b', i + 1);
      }
    }
    let textEnd = input.length;
    const partial = PARTIAL.exec(input.slice(textStart));
    if (partial && this.mayHold(partial[0], input.length - textStart)) {
      textEnd = input.length - partial[0].length;
      this.held = partial[0];
    }
    if (textEnd > textStart) pieces.push({ text: input.slice(textStart, textEnd) });
    return pieces;
  }

  /** What is held, as text: the read was not cut off after all. */
  flush(): string {
    const held = this.held;
    this.held = '';
    return held;
  }

  private mayHold(partial: string, restLength: number): boolean {
    return partial.length >= 3 || restLength > partial.length;
  }
}

/** `event` as an SGR report at the 0-based cell `x`,`y` (for a program that asked for mouse input). */
export function encodeSgr(event: MouseEvent, x: number, y: number): string {
  return `\x1b[<${event.code};${x + 1};${y + 1}${event.action === 'release' ? 'm' : 'M'}`;
}
