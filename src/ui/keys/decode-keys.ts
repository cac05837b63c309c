/**
 * Splits a raw stdin chunk into key presses. We decode raw bytes ourselves (instead of Ink's
 * useInput) because the same chunks must later pass through byte-exact to an attached terminal.
 */

export interface KeyPress {
  /** `a`, `K`, `?`, `space`, `enter`, `escape`, `up`, `ctrl-c`, `alt-x`, `paste`, … */
  name: string;
  /** Text the key types into a field (printable keys and pastes only). */
  text?: string;
}

const CSI_FINAL: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift-tab',
};

const CSI_TILDE: Record<string, string> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
};

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

function decodeCsi(chunk: string, start: number): { key: KeyPress; end: number } {
  let i = start;
  while (i < chunk.length && !/[\x40-\x7e]/.test(chunk[i] ?? '')) i++;
  const params = chunk.slice(start, i);
  const final = chunk[i] ?? '';
  const end = Math.min(i + 1, chunk.length);
  if (final === '~')
    return { key: { name: CSI_TILDE[params.split(';')[0] ?? ''] ?? 'unknown' }, end };
  return { key: { name: CSI_FINAL[final] ?? 'unknown' }, end };
}

/** ESC ] (OSC), ESC P (DCS), ESC _ (APC), ESC ^ (PM): terminal replies, not keys. */
const STRING_INTRODUCERS = new Set([']', 'P', '_', '^']);

/** End of a control string: after BEL or ESC \\ (or the chunk end if unterminated). */
function controlStringEnd(chunk: string, start: number): number {
  for (let i = start; i < chunk.length; i++) {
    if (chunk[i] === '\x07') return i + 1;
    if (chunk[i] === '\x1b' && chunk[i + 1] === '\\') return i + 2;
  }
  return chunk.length;
}

function decodeControl(code: number): KeyPress {
  if (code === 0x0d || code === 0x0a) return { name: 'enter' };
  if (code === 0x09) return { name: 'tab' };
  if (code === 0x08 || code === 0x7f) return { name: 'backspace' };
  if (code >= 0x01 && code <= 0x1a) return { name: `ctrl-${String.fromCharCode(code + 0x60)}` };
  return { name: 'unknown' };
}

export function decodeKeys(chunk: string): KeyPress[] {
  const keys: KeyPress[] = [];
  let i = 0;
  while (i < chunk.length) {
    if (chunk.startsWith(PASTE_START, i)) {
      const close = chunk.indexOf(PASTE_END, i + PASTE_START.length);
      const stop = close < 0 ? chunk.length : close;
      keys.push({ name: 'paste', text: chunk.slice(i + PASTE_START.length, stop) });
      i = close < 0 ? chunk.length : close + PASTE_END.length;
      continue;
    }
    const ch = chunk[i] ?? '';
    if (ch === '\x1b') {
      const next = chunk[i + 1];
      if (next === undefined || next === '\x1b') {
        keys.push({ name: 'escape' });
        i++;
      } else if (next === '[') {
        const { key, end } = decodeCsi(chunk, i + 2);
        keys.push(key);
        i = end;
      } else if (STRING_INTRODUCERS.has(next)) {
        // Swallowed whole so a stray colour or version reply cannot fire commands.
        keys.push({ name: 'unknown' });
        i = controlStringEnd(chunk, i + 2);
      } else if (next === 'O' && i + 2 < chunk.length) {
        keys.push({ name: CSI_FINAL[chunk[i + 2] ?? ''] ?? 'unknown' });
        i += 3;
      } else {
        keys.push({ name: `alt-${next}` });
        i += 2;
      }
      continue;
    }
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      keys.push(decodeControl(code));
      i++;
      continue;
    }
    const char = String.fromCodePoint(chunk.codePointAt(i) ?? code);
    keys.push({ name: char === ' ' ? 'space' : char, text: char });
    i += char.length;
  }
  return keys;
}
