import { describe, expect, test } from 'vitest';
import { contains, tableRowAt } from '../../../../src/ui/layout/table-hit.js';

const rect = { x: 10, y: 5, width: 20, height: 7 }; // title, header, 5 rows

describe('table hit-testing', () => {
  test('contains covers the rect and nothing beside it', () => {
    expect(contains(rect, 10, 5)).toBe(true);
    expect(contains(rect, 29, 11)).toBe(true);
    expect(contains(rect, 30, 11)).toBe(false);
    expect(contains(rect, 10, 12)).toBe(false);
    expect(contains(rect, 9, 5)).toBe(false);
  });

  test('rows below title and header; nothing on them or past the last row', () => {
    expect(tableRowAt(rect, 3, 0, 5)).toBeUndefined();
    expect(tableRowAt(rect, 3, 0, 6)).toBeUndefined();
    expect(tableRowAt(rect, 3, 0, 7)).toBe(0);
    expect(tableRowAt(rect, 3, 0, 9)).toBe(2);
    expect(tableRowAt(rect, 3, 0, 10)).toBeUndefined();
  });

  test('follows the scrolled window of a long table', () => {
    // 100 rows, 5 visible, row 50 selected: the window is centred on it (48..52).
    expect(tableRowAt(rect, 100, 50, 7)).toBe(48);
    expect(tableRowAt(rect, 100, 50, 11)).toBe(52);
    expect(tableRowAt(rect, 100, 99, 11)).toBe(99);
  });
});
