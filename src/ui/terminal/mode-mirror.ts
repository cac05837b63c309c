/** The input-related DEC modes of the inner program, which decide what bytes keys produce. */
export interface InputModes {
  applicationCursorKeysMode: boolean;
  applicationKeypadMode: boolean;
  bracketedPasteMode: boolean;
  mouseTrackingMode: MouseTracking;
}

export type MouseTracking = 'none' | 'x10' | 'vt200' | 'drag' | 'any';

type SwitchModes = Omit<InputModes, 'mouseTrackingMode'>;

const SEQUENCES: Record<keyof SwitchModes, [on: string, off: string]> = {
  applicationCursorKeysMode: ['\x1b[?1h', '\x1b[?1l'],
  applicationKeypadMode: ['\x1b=', '\x1b>'],
  bracketedPasteMode: ['\x1b[?2004h', '\x1b[?2004l'],
};

const MOUSE_MODE: Record<Exclude<MouseTracking, 'none'>, number> = {
  x10: 9,
  vt200: 1000,
  drag: 1002,
  any: 1003,
};

/**
 * The control room's own mouse: clicks, releases and the wheel, reported in SGR (1006), which
 * has no coordinate limit and cannot be confused with keys. The screen guard switches it on with
 * the alternate screen and off on every way out.
 */
export const ROOM_MOUSE_ON = '\x1b[?1000h\x1b[?1006h';

/** The room's modes, which the user's terminal has while no pane is attached. */
const ROOM: InputModes = {
  applicationCursorKeysMode: false,
  applicationKeypadMode: false,
  bracketedPasteMode: false,
  mouseTrackingMode: 'vt200',
};

function mouseSwitch(from: MouseTracking, to: MouseTracking): string {
  const off = from === 'none' ? '' : `\x1b[?${MOUSE_MODE[from]}l`;
  return to === 'none' ? off : `${off}\x1b[?${MOUSE_MODE[to]}h`;
}

/**
 * The inner program's modes land in the headless emulator, not in the user's terminal. While a
 * pane is attached the real terminal is switched to match, so arrows, keypad and paste arrive in
 * the encoding the program asked for, and mouse reports only when it tracks the mouse (otherwise
 * the terminal's own text selection works over the pane); `reset` puts the room's modes back.
 * Written straight to the stream, not through Ink.
 */
export class ModeMirror {
  private current: InputModes = { ...ROOM };

  constructor(private readonly write: (bytes: string) => void) {}

  sync(modes: InputModes): void {
    let out = '';
    for (const key of Object.keys(SEQUENCES) as (keyof SwitchModes)[]) {
      if (modes[key] === this.current[key]) continue;
      out += SEQUENCES[key][modes[key] ? 0 : 1];
    }
    if (modes.mouseTrackingMode !== this.current.mouseTrackingMode)
      out += mouseSwitch(this.current.mouseTrackingMode, modes.mouseTrackingMode);
    if (out === '') return;
    this.current = {
      applicationCursorKeysMode: modes.applicationCursorKeysMode,
      applicationKeypadMode: modes.applicationKeypadMode,
      bracketedPasteMode: modes.bracketedPasteMode,
      mouseTrackingMode: modes.mouseTrackingMode,
    };
    this.write(out);
  }

  reset(): void {
    this.sync(ROOM);
  }
}
