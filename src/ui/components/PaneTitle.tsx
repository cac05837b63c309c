import type { Segment } from '../format/segments.js';
import { Line } from './Line.js';

interface PaneTitleProps {
  title: string;
  focused: boolean;
  details: string;
  width: number;
}

export function PaneTitle({ title, focused, details, width }: PaneTitleProps) {
  const segments: Segment[] = [
    { text: focused ? '▌' : ' ', color: 'cyan' },
    { text: title, bold: true, color: focused ? 'cyan' : undefined },
    { text: `  ${details}`, dim: true },
  ];
  return <Line segments={segments} width={width} />;
}
