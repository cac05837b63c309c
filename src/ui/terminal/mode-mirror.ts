/** The input-related DEC modes of the inner program, which decide what bytes keys produce. */
export interface InputModes {
  applicationCursorKeysMode: boolean;
  applicationKeypadMode: boolean;
  bracketedPasteMode: boolean;
}

const SEQUENCES: Record<keyof InputModes, [on: string, off: string]> = {
  applicationCursorKeysMode: ['\x1b[?1h', '\x1b[?1l'],
  applicationKeypadMode: ['\x1b=', '\x1b>'],
  bracketedPasteMode: ['\x1b[?2004h', '\x1b[?2004l'],
};

const ALL_OFF: InputModes = {
  applicationCursorKeysMode: false,
  applicationKeypadMode: false,
  bracketedPasteMode: false,
};

/**
 * The inner program's modes land in the headless emulator, not in the user's terminal. While a
 * pane is attached the real terminal is switched to match, so arrows, keypad and paste arrive in
 * the encoding the program asked for; `reset` puts the real terminal back. Written straight to the
 * stream, not through Ink.
 */
export class ModeMirror {
  private current: InputModes = { ...ALL_OFF };

  constructor(private readonly write: (bytes: string) => void) {}

  sync(modes: InputModes): void {
    let out = '';
    for (const key of Object.keys(SEQUENCES) as (keyof InputModes)[]) {
      if (modes[key] === this.current[key]) continue;
      out += SEQUENCES[key][modes[key] ? 0 : 1];
    }
    if (out === '') return;
    this.current = {
      applicationCursorKeysMode: modes.applicationCursorKeysMode,
      applicationKeypadMode: modes.applicationKeypadMode,
      bracketedPasteMode: modes.bracketedPasteMode,
    };
    this.write(out);
  }

  reset(): void {
    this.sync(ALL_OFF);
  }
}
