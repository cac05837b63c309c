import type { Connection } from '../state/types.js';
import { Line } from './Line.js';

interface ConnectionBannerProps {
  width: number;
  connection: Connection;
}

function connectionText(connection: Connection): string {
  if (connection.state === 'retrying') {
    return ` Incus unreachable — retrying (attempt ${connection.attempt}): ${connection.error}`;
  }
  if (connection.state === 'connecting') return ' Connecting to Incus…';
  return '';
}

export function ConnectionBanner({ width, connection }: ConnectionBannerProps) {
  const color = connection.state === 'retrying' ? 'red' : 'yellow';
  return (
    <Line
      segments={[{ text: connectionText(connection), color, bold: true }]}
      width={width}
      inverse
    />
  );
}
