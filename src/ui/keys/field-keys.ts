import type { KeyPress } from './decode-keys.js';

/** Applies a key to a one-line text field; returns the new text, or undefined if not an edit. */
export function editText(text: string, key: KeyPress): string | undefined {
  if (key.text !== undefined) return text + key.text.replace(/[\r\n\t]/g, ' ');
  if (key.name === 'backspace') return Array.from(text).slice(0, -1).join('');
  if (key.name === 'ctrl-u') return '';
  return undefined;
}
