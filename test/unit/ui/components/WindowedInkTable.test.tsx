import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import {
  inkTableCapacity,
  inkTableHeight,
  WindowedInkTable,
  type InkTableColumn,
} from '../../../../src/ui/components/WindowedInkTable.js';
import { cleanup, renderSized } from '../harness.js';
import { settle } from '../helpers.js';

afterEach(cleanup);

interface Proc {
  pid: number;
  user: string;
  command: string;
}

const processes: Proc[] = Array.from({ length: 1000 }, (_, i) => ({
  pid: 1000 + i,
  user: i % 2 ? 'root' : 'code',
  command: `worker --index ${i}`,
}));

const COLUMNS: InkTableColumn<Proc>[] = [
  { header: 'PID', width: 5, align: 'right', value: (p) => String(p.pid) },
  { header: 'USER', width: 4, value: (p) => p.user },
  { header: 'COMMAND', width: 10, value: (p) => p.command },
];

async function frame(element: ReactElement): Promise<string[]> {
  const view = renderSized(element, 80, 40);
  await settle();
  return stripVTControlCharacters(view.lastFrame() ?? '').split('\n');
}

describe('WindowedInkTable', () => {
  test('capacity and height are inverse: borders, heading, a separator per row', () => {
    expect(inkTableHeight(0)).toBe(3);
    expect(inkTableCapacity(inkTableHeight(7))).toBe(7);
    expect(inkTableCapacity(inkTableHeight(7) + 1)).toBe(7);
    expect(inkTableCapacity(2)).toBe(0);
  });

  test('hands the fork only the rows that fit, centred on the selection, and marks it', async () => {
    const lines = await frame(
      <WindowedInkTable rows={processes} columns={COLUMNS} height={13} selected={500} />,
    );
    expect(lines[1]).toMatch(/│ +│ PID +│ USER +│ COMMAND +│/);
    const data = lines.filter((l) => /│ \S? +│ +\d+/.test(l));
    expect(data.map((l) => l.match(/(\d{4})/)?.[1])).toEqual([
      '1498',
      '1499',
      '1500',
      '1501',
      '1502',
    ]);
    expect(data[2]).toMatch(/^│ › +│ +1500 /);
    expect(data.filter((l) => l.includes('›'))).toHaveLength(1);
  });

  test('sanitizes untrusted text and cuts cells to their width', async () => {
    const evil: Proc = { pid: 1, user: 'code', command: `evil\x1b[2J${'a'.repeat(50)}` };
    const lines = await frame(
      <WindowedInkTable rows={[evil]} columns={COLUMNS} height={10} selected={0} />,
    );
    const row = lines.find((l) => l.includes('evil'))!;
    expect(row).toContain('evil [2Ja…');
    expect(row).not.toContain('\x1b');
  });
});
