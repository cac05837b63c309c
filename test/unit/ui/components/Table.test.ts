import { describe, expect, test } from 'vitest';
import { fitSegments } from '../../../../src/ui/format/segments.js';
import { displayWidth, fit, truncate } from '../../../../src/ui/format/text-width.js';
import { formatBytes, formatUptime } from '../../../../src/ui/format/units.js';
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

describe('text width', () => {
  test('counts cells like a terminal', () => {
    expect(displayWidth('coi-abc12345-1')).toBe(14);
    expect(displayWidth('▾ ↓1.5K │ é')).toBe(11);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('😀x')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  test('truncate and fit never exceed the width', () => {
    expect(truncate('coi-abc12345-10', 8)).toBe('coi-abc…');
    expect(truncate('日本語テキスト', 5)).toBe('日本…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(displayWidth(fit('😀😀😀', 5))).toBeLessThanOrEqual(5);
  });

  test('fitSegments cuts, pads on request and merges equal styles', () => {
    expect(fitSegments([{ text: 'abc' }, { text: 'def' }], 8)).toEqual([{ text: 'abcdef  ' }]);
    expect(fitSegments([{ text: 'abc', bold: true }, { text: 'defgh' }], 6, false)).toEqual([
      { text: 'abc', bold: true },
      { text: 'de…' },
    ]);
  });
});

describe('units', () => {
  test('compact figures', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5K');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4.0G');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300M');
    expect(formatUptime(45_000)).toBe('45s');
    expect(formatUptime(3 * 3_600_000 + 5 * 60_000)).toBe('3h05m');
    expect(formatUptime(50 * 3_600_000)).toBe('2d02h');
  });
});
