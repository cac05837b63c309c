import { describe, expect, it } from 'vitest';
import { SLOT_COLUMNS, slotTableRow } from '../../../../src/ui/components/slot-table.js';
import type { SlotInstance } from '../../../../src/ui/state/types.js';

const instance: SlotInstance = {
  name: 'coi-0123abcd-1',
  workspace: '/home/u/p',
  slot: 1,
  state: 'running',
  frozenByThreat: false,
  tool: 'claude',
  persistent: false,
};

describe('slot table: ports', () => {
  it('shows a slot’s published ports in the last, first-dropped column', () => {
    expect(SLOT_COLUMNS.at(-1)).toMatchObject({ id: 'ports', header: 'PORTS' });
    expect(Math.min(...SLOT_COLUMNS.map((c) => c.priority))).toBe(SLOT_COLUMNS.at(-1)!.priority);
    const row = (ports?: string[]) =>
      slotTableRow(
        { kind: 'slot', key: 'k', instance: { ...instance, ...(ports ? { ports } : {}) } },
        0,
      );
    expect(row(['web:18080->3000', '23410']).cells?.ports?.text).toBe('web:18080->3000 23410');
    expect(row().cells?.ports?.text).toBe('');
  });
});
