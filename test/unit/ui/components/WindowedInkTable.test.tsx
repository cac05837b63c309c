import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import {
  inkTableCapacity,
  inkTableHeight,
  WindowedInkTable,
} from '../../../../src/ui/components/WindowedInkTable.js';
import { cleanup, renderSized } from '../harness.js';
import { settle } from '../helpers.js';

afterEach(cleanup);

const processes = Array.from({ length: 1000 }, (_, i) => ({
  PID: 1000 + i,
  USER: i % 2 ? 'root' : 'code',
  COMMAND: `worker --index ${i}`,
}));

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
      <WindowedInkTable
        rows={processes}
        columns={['PID', 'USER', 'COMMAND']}
        height={13}
        selected={500}
      />,
    );
    expect(lines.length).toBe(13);
    expect(lines[1]).toMatch(/│ +│ PID +│ USER +│ COMMAND +│/);
    const data = lines.filter((l) => /│ \S? +│ \d+/.test(l));
    expect(data.map((l) => l.match(/(\d{4})/)?.[1])).toEqual([
      '1498',
      '1499',
      '1500',
      '1501',
      '1502',
    ]);
    expect(data[2]).toMatch(/^│ › +│ 1500 /);
    expect(data.filter((l) => l.includes('›'))).toHaveLength(1);
  });

  test('sanitizes untrusted text and cuts cells to their maximum width', async () => {
    const lines = await frame(
      <WindowedInkTable
        rows={[{ NAME: 'evil\x1b[2Jname', NOTE: 'a'.repeat(50) }]}
        columns={['NAME', 'NOTE']}
        height={10}
        maxWidth={{ NOTE: 10 }}
      />,
    );
    expect(lines).toHaveLength(inkTableHeight(1));
    expect(lines[3]).toContain('evil [2Jname');
    expect(lines[3]).toContain(`${'a'.repeat(9)}…`);
    expect(lines[3]).not.toContain('a'.repeat(10));
  });
});
