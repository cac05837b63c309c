import type { Segment } from '../format/segments.js';
import type { SeverityCounts } from '../state/alert-selectors.js';
import { SEVERITIES, severityColor, severityLabel } from '../state/severity.js';
import type { SlotInstance } from '../state/types.js';
import { Line } from './Line.js';

interface HeaderProps {
  width: number;
  instances: readonly SlotInstance[];
  workspaceCount: number;
  unacked: SeverityCounts;
  /** Slots whose agent waits for the user (input or approval). */
  needYou: number;
}

export function Header({ width, instances, workspaceCount, unacked, needYou }: HeaderProps) {
  const count = (state: SlotInstance['state']) => instances.filter((i) => i.state === state).length;
  const segments: Segment[] = [
    { text: ' coi ', bold: true, color: 'cyan' },
    {
      text: `│ ${workspaceCount} ws ${instances.length} slots (${count('running')} run ${count('frozen')} frz ${count('stopped')} stop) │ `,
    },
    {
      text: `${needYou} need you`,
      ...(needYou > 0 ? { color: 'yellow', bold: true } : { dim: true }),
    },
    { text: ' │ new:' },
    ...[...SEVERITIES].reverse().map((s) => ({
      text: ` ${unacked[s]} ${severityLabel(s)}`,
      color: unacked[s] > 0 ? severityColor(s) : undefined,
      bold: unacked[s] > 0,
      dim: unacked[s] === 0,
    })),
  ];
  return <Line segments={segments} width={width} />;
}
