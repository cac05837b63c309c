export interface Column {
  id: string;
  header: string;
  /** Fixed width, or the minimum width of a flex column. */
  width: number;
  /** Takes the width left over once the fixed columns are placed (at most one per table). */
  flex?: boolean;
  /** Higher survives longer when the table is too narrow. */
  priority: number;
  align?: 'left' | 'right';
}

export const COLUMN_GAP = 1;

function totalWidth(columns: readonly Column[]): number {
  return (
    columns.reduce((sum, c) => sum + c.width, 0) + COLUMN_GAP * Math.max(0, columns.length - 1)
  );
}

/**
 * Drops the lowest-priority columns until the rest fit into `width`, keeps their order, and gives
 * any spare width to the flex column. The result never exceeds `width`.
 */
export function fitColumns(columns: readonly Column[], width: number): Column[] {
  const kept = [...columns];
  while (kept.length > 1 && totalWidth(kept) > width) {
    const weakest = kept.reduce((min, c) => (c.priority < min.priority ? c : min));
    kept.splice(kept.indexOf(weakest), 1);
  }
  const spare = width - totalWidth(kept);
  const onlyColumn = kept.length === 1 && kept[0] ? kept[0] : undefined;
  return kept.map((c) => {
    if (c === onlyColumn) return { ...c, width: Math.min(width, c.flex ? width : c.width) };
    return c.flex ? { ...c, width: c.width + Math.max(0, spare) } : c;
  });
}
