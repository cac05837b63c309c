import { describe, expect, test } from 'vitest';
import { fitColumns, type Column } from '../../../../src/ui/layout/fit-columns.js';
import { scrollWindow } from '../../../../src/ui/layout/scroll-window.js';

const columns: Column[] = [
  { id: 'name', header: 'NAME', width: 10, flex: true, priority: 100 },
  { id: 'state', header: 'STATE', width: 8, priority: 90 },
  { id: 'ip', header: 'IP', width: 15, priority: 10 },
  { id: 'cpu', header: 'CPU', width: 5, priority: 50 },
];

const widths = (width: number) => fitColumns(columns, width).map((c) => [c.id, c.width]);

describe('fitColumns', () => {
  test('drops the lowest priority first, keeps order, gives spare width to the flex column', () => {
    expect(widths(41)).toEqual([
      ['name', 10],
      ['state', 8],
      ['ip', 15],
      ['cpu', 5],
    ]);
    expect(widths(40)).toEqual([
      ['name', 25],
      ['state', 8],
      ['cpu', 5],
    ]);
    expect(widths(20)).toEqual([
      ['name', 11],
      ['state', 8],
    ]);
    expect(widths(5)).toEqual([['name', 5]]);
  });
});

describe('scrollWindow', () => {
  test('renders only the rows that fit, keeping the selection visible', () => {
    expect(scrollWindow(5, 10, 3)).toEqual({ start: 0, end: 5 });
    expect(scrollWindow(110, 11, 0)).toEqual({ start: 0, end: 11 });
    expect(scrollWindow(110, 11, 50)).toEqual({ start: 45, end: 56 });
    expect(scrollWindow(110, 11, 109)).toEqual({ start: 99, end: 110 });
    expect(scrollWindow(110, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});
