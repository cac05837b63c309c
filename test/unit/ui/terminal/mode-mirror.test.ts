import { describe, expect, test } from 'vitest';
import { ModeMirror, type InputModes } from '../../../../src/ui/terminal/mode-mirror.js';

const modes = (extra: Partial<InputModes> = {}): InputModes => ({
  applicationCursorKeysMode: false,
  applicationKeypadMode: false,
  bracketedPasteMode: false,
  mouseTrackingMode: 'none',
  ...extra,
});

function mirror() {
  const written: string[] = [];
  return { m: new ModeMirror((b) => written.push(b)), written };
}

describe('mode mirror', () => {
  test("a program that does not track the mouse switches the room's mouse off", () => {
    const { m, written } = mirror();
    m.sync(modes());
    expect(written).toEqual(['\x1b[?1000l']);
  });

  test('a program tracking drags gets drag reports; reset gives the room its own mouse back', () => {
    const { m, written } = mirror();
    m.sync(modes({ mouseTrackingMode: 'drag', bracketedPasteMode: true }));
    expect(written).toEqual(['\x1b[?2004h\x1b[?1000l\x1b[?1002h']);
    m.reset();
    expect(written.at(-1)).toBe('\x1b[?2004l\x1b[?1002l\x1b[?1000h');
  });

  test('unchanged modes write nothing', () => {
    const { m, written } = mirror();
    m.sync(modes({ mouseTrackingMode: 'vt200' }));
    m.reset();
    expect(written).toEqual([]);
  });
});
