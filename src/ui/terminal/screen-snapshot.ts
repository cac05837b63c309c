import type { IBufferCell, IBufferLine, Terminal } from '@xterm/headless';
import stringWidth from 'string-width';

/** A colour as the inner program set it: palette index 0–255, `#rrggbb`, or the default. */
export type CellColor = number | `#${string}` | undefined;

export interface CellStyle {
  fg: CellColor;
  bg: CellColor;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strike: boolean;
}

/** Equally styled text inside one row; its width in cells is `width`. */
export interface StyledRun {
  text: string;
  width: number;
  style: CellStyle;
}

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  /** Exactly `rows` rows, each exactly `cols` cells wide. */
  lines: StyledRun[][];
  /** Where the inner cursor is drawn (undefined when hidden). */
  cursor?: { x: number; y: number };
}

const PLAIN: CellStyle = {
  fg: undefined,
  bg: undefined,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
};

/** An empty row of `cols` default cells. */
export function blankRow(cols: number): StyledRun[] {
  return [{ text: ' '.repeat(cols), width: cols, style: PLAIN }];
}

const hex = (rgb: number): `#${string}` => `#${rgb.toString(16).padStart(6, '0')}`;

function fgOf(cell: IBufferCell): CellColor {
  if (cell.isFgPalette()) return cell.getFgColor();
  if (cell.isFgRGB()) return hex(cell.getFgColor());
  return undefined;
}

function bgOf(cell: IBufferCell): CellColor {
  if (cell.isBgPalette()) return cell.getBgColor();
  if (cell.isBgRGB()) return hex(cell.getBgColor());
  return undefined;
}

function styleOf(cell: IBufferCell): CellStyle {
  return {
    fg: fgOf(cell),
    bg: bgOf(cell),
    bold: cell.isBold() !== 0,
    dim: cell.isDim() !== 0,
    italic: cell.isItalic() !== 0,
    underline: cell.isUnderline() !== 0,
    inverse: cell.isInverse() !== 0,
    strike: cell.isStrikethrough() !== 0,
  };
}

export function sameStyle(a: CellStyle, b: CellStyle): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse &&
    a.strike === b.strike
  );
}

/**
 * One buffer row as styled runs. A wide glyph is stored as a width-2 cell followed by a width-0
 * cell: the second is skipped, so the row keeps exactly `cols` cells. Invisible text is blanked
 * and the cursor cell, if any, is flipped to inverse.
 */
function lineRuns(
  line: IBufferLine | undefined,
  cols: number,
  cell: IBufferCell,
  cursorX?: number,
): StyledRun[] {
  const runs: StyledRun[] = [];
  const push = (text: string, width: number, style: CellStyle) => {
    const last = runs.at(-1);
    if (last && sameStyle(last.style, style)) {
      last.text += text;
      last.width += width;
    } else runs.push({ text, width, style });
  };
  for (let x = 0; x < cols; x++) {
    const c = line?.getCell(x, cell);
    if (!c) {
      push(' ', 1, x === cursorX ? { ...PLAIN, inverse: true } : PLAIN);
      continue;
    }
    const width = c.getWidth();
    if (width === 0) continue;
    // A wide glyph cut by the right edge would overflow the row: draw a blank instead.
    if (x + width > cols) {
      push(' ', 1, PLAIN);
      continue;
    }
    let style = styleOf(c);
    if (x === cursorX) style = { ...style, inverse: !style.inverse };
    const chars = c.isInvisible() ? '' : c.getChars();
    push(chars === '' ? ' '.repeat(width) : chars, width, style);
  }
  return runs;
}

/**
 * What the pane shows: the live screen's rows with their styles, and the cursor. A pure read of
 * the buffer. (History is the session's own: tmux copy-mode, reached through the pane.)
 */
export function snapshotScreen(
  terminal: Terminal,
  options: { cursorHidden?: boolean } = {},
): ScreenSnapshot {
  const buffer = terminal.buffer.active;
  const { cols, rows } = terminal;
  const top = buffer.baseY;
  const cursorY = buffer.cursorY;
  const showCursor = !options.cursorHidden;
  const cell = buffer.getNullCell();
  const lines: StyledRun[][] = [];
  for (let y = 0; y < rows; y++) {
    const cursorX = showCursor && y === cursorY ? Math.min(buffer.cursorX, cols - 1) : undefined;
    lines.push(lineRuns(buffer.getLine(top + y), cols, cell, cursorX));
  }
  return {
    cols,
    rows,
    lines,
    ...(showCursor ? { cursor: { x: Math.min(buffer.cursorX, cols - 1), y: cursorY } } : {}),
  };
}

function colorParams(color: CellColor, base: 30 | 40): string {
  if (color === undefined) return '';
  if (typeof color === 'string') {
    const n = Number.parseInt(color.slice(1), 16);
    return `;${base + 8};2;${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
  }
  // The 16 base colours keep their own codes so the user's terminal theme applies.
  if (color < 8) return `;${base + color}`;
  if (color < 16) return `;${base + 60 + color - 8}`;
  return `;${base + 8};5;${color}`;
}

/** SGR sequence that sets exactly `style` (starting from a reset). */
function sgr(style: CellStyle): string {
  const flags = [
    style.bold ? ';1' : '',
    style.dim ? ';2' : '',
    style.italic ? ';3' : '',
    style.underline ? ';4' : '',
    style.inverse ? ';7' : '',
    style.strike ? ';9' : '',
  ].join('');
  return `\x1b[0${flags}${colorParams(style.fg, 30)}${colorParams(style.bg, 40)}m`;
}

/**
 * A row cut or padded to exactly `width` cells (the pty lags the pane by one resize): whole
 * runs are kept while they fit, the one that straddles the edge is cut by character widths.
 */
export function fitRuns(runs: readonly StyledRun[], width: number): readonly StyledRun[] {
  const total = runs.reduce((n, run) => n + run.width, 0);
  if (total === width) return runs;
  if (total < width) return [...runs, ...blankRow(width - total)];
  const kept: StyledRun[] = [];
  let room = width;
  for (const run of runs) {
    if (room === 0) break;
    if (run.width <= room) {
      kept.push(run);
      room -= run.width;
      continue;
    }
    let text = '';
    let used = 0;
    for (const char of run.text) {
      const w = stringWidth(char);
      if (used + w > room) break;
      text += char;
      used += w;
    }
    kept.push({ text: text + ' '.repeat(room - used), width: room, style: run.style });
    break;
  }
  return kept;
}

/** A row as one string with SGR codes (Ink 6.8 keeps SGR in <Text>), reset at the end. */
export function runsToAnsi(runs: readonly StyledRun[]): string {
  let out = '';
  for (const run of runs) {
    out += sameStyle(run.style, PLAIN) ? `\x1b[0m${run.text}` : `${sgr(run.style)}${run.text}`;
  }
  return `${out}\x1b[0m`;
}
