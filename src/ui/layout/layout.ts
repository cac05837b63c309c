/** Pure screen arrangement: every pane rectangle from the terminal size. */

export interface Size {
  cols: number;
  rows: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 14;
/** From this width the alert queue sits beside the slots instead of below them. */
const SIDE_BY_SIDE_COLS = 120;

export interface TooSmallLayout {
  kind: 'too-small';
  size: Size;
}

export interface PanesLayout {
  kind: 'stacked' | 'side-by-side';
  width: number;
  /** Total height drawn: always below the terminal's rows (Ink 6 clears the screen otherwise). */
  height: number;
  header: Rect;
  banner?: Rect;
  /** Area shared by the panes; overlays (help, detail, confirm) replace it. */
  body: Rect;
  slots: Rect;
  alerts: Rect;
  status: Rect;
  footer: Rect;
}

export type Layout = TooSmallLayout | PanesLayout;

export function computeLayout(size: Size, options: { banner: boolean }): Layout {
  if (size.cols < MIN_COLS || size.rows < MIN_ROWS) return { kind: 'too-small', size };
  const width = size.cols;
  const height = size.rows - 1;
  const line = (y: number): Rect => ({ x: 0, y, width, height: 1 });

  const header = line(0);
  const banner = options.banner ? line(1) : undefined;
  const bodyTop = banner ? 2 : 1;
  const body: Rect = { x: 0, y: bodyTop, width, height: height - bodyTop - 2 };
  const status = line(height - 2);
  const footer = line(height - 1);

  if (width >= SIDE_BY_SIDE_COLS) {
    const alertsWidth = Math.min(90, Math.max(50, Math.floor(width * 0.42)));
    const slotsWidth = width - alertsWidth - 1; // one column of gutter
    return {
      kind: 'side-by-side',
      width,
      height,
      header,
      banner,
      body,
      slots: { ...body, width: slotsWidth },
      alerts: { ...body, x: slotsWidth + 1, width: alertsWidth },
      status,
      footer,
    };
  }
  const alertsHeight = Math.min(body.height - 5, Math.max(5, Math.floor(body.height * 0.35)));
  const slotsHeight = body.height - alertsHeight;
  return {
    kind: 'stacked',
    width,
    height,
    header,
    banner,
    body,
    slots: { ...body, height: slotsHeight },
    alerts: { ...body, y: body.y + slotsHeight, height: alertsHeight },
    status,
    footer,
  };
}

/**
 * Where the attached terminal pane goes: the whole drawn area when zoomed, the slots' place beside
 * the alert queue when side by side, the whole body when stacked. Its first row is the pane's
 * title (with the detach chord); the rest is the pty, so the pty size is `inner`.
 */
export function terminalRect(layout: PanesLayout, zoomed: boolean): Rect {
  if (zoomed) return { x: 0, y: 0, width: layout.width, height: layout.height };
  return layout.kind === 'side-by-side' ? layout.slots : layout.body;
}

export function terminalInner(rect: Rect): Size {
  return { cols: rect.width, rows: Math.max(1, rect.height - 1) };
}
