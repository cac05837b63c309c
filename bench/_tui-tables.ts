// The alert window through our `Table` and through `@alcalzone/ink-table` (WindowedInkTable), both
// drawn by Ink (debug mode: every update is one full frame), at the same height: the cost of
// one new alert arriving at the top of a 10,000-alert queue.
import { EventEmitter } from 'node:events';
import type { InkTableColumn } from '../src/ui/components/WindowedInkTable.js';
import type { ThreatAlert } from '../src/ui/state/types.js';

const { createElement, useState } = await import('react');
const { render } = await import('ink');
const { Table } = await import('../src/ui/components/Table.js');
const { ALERT_COLUMNS, alertTableRow } = await import('../src/ui/components/alert-table.js');
const { WindowedInkTable, inkTableCapacity } =
  await import('../src/ui/components/WindowedInkTable.js');
const { formatClock } = await import('../src/ui/format/units.js');

const WIDTH = 120;
const HEIGHT = 38;
const ALERTS = 10_000;

class Sink extends EventEmitter {
  readonly isTTY = true;
  columns = WIDTH;
  rows = HEIGHT + 2;
  at = 0;
  write = (): boolean => {
    this.at = performance.now();
    return true;
  };
}

class NoInput extends EventEmitter {
  readonly isTTY = true;
  read = () => null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const alertAt = (i: number): ThreatAlert => ({
  id: `t-${i}`,
  time: Date.UTC(2026, 0, 1) + i * 1000,
  severity: (['info', 'warning', 'high', 'critical'] as const)[i % 4]!,
  container: `coi-aaaaaaa${i % 10}-${(i % 10) + 1}`,
  slot: (i % 10) + 1,
  workspace: `/home/dev/project-${i % 10}`,
  title: `Connection to suspicious port #${i}`,
  action: 'alerted',
  evidence: {},
  acknowledged: i % 3 === 0,
});

/** The same columns for the fork, at the widths our table gives them at 120 columns. */
const FORK_COLUMNS: InkTableColumn<ThreatAlert>[] = [
  { header: 'TIME', width: 8, value: (a) => formatClock(a.time) },
  { header: 'SEV', width: 8, value: (a) => a.severity },
  { header: 'ACK', width: 3, value: (a) => (a.acknowledged ? 'ack' : 'NEW') },
  { header: 'CONTAINER', width: 16, value: (a) => a.container },
  { header: 'TITLE', width: 40, value: (a) => a.title },
  { header: 'ACTION', width: 8, value: (a) => a.action },
];

type Which = 'ours' | 'fork';
let push: (a: ThreatAlert) => void = () => {};

function Queue({ which, initial }: { which: Which; initial: ThreatAlert[] }) {
  const [alerts, setAlerts] = useState(initial);
  push = (a) => setAlerts((list) => [a, ...list]);
  if (which === 'ours') {
    return createElement(Table, {
      columns: ALERT_COLUMNS,
      count: alerts.length,
      rowAt: (i: number) => alertTableRow(alerts[i]!),
      width: WIDTH,
      height: HEIGHT,
      selected: 0,
      focused: true,
      emptyText: '',
    });
  }
  return createElement(WindowedInkTable<ThreatAlert>, {
    rows: alerts,
    columns: FORK_COLUMNS,
    height: HEIGHT,
    selected: 0,
  });
}

const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function perNewAlert(which: Which): Promise<number[]> {
  const initial = Array.from({ length: ALERTS }, (_, i) => alertAt(ALERTS - i));
  const out = new Sink();
  const app = render(createElement(Queue, { which, initial }), {
    stdout: out as unknown as NodeJS.WriteStream,
    stderr: new Sink() as unknown as NodeJS.WriteStream,
    stdin: new NoInput() as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const samples: number[] = [];
  for (let i = 1; i <= 200; i++) {
    const t0 = performance.now();
    push(alertAt(ALERTS + i));
    await new Promise((r) => setImmediate(r));
    samples.push(out.at - t0);
  }
  app.unmount();
  return samples;
}

export async function tableWindow(): Promise<void> {
  const ours = await perNewAlert('ours');
  const fork = await perNewAlert('fork');
  const fmt = (xs: number[]) =>
    `p50 ${percentile(xs, 0.5).toFixed(1)} ms p95 ${percentile(xs, 0.95).toFixed(1)} ms`;
  console.log(
    `alert window, ${ALERTS.toLocaleString('en')} alerts in ${HEIGHT} lines at ${WIDTH} columns, one new alert per frame (Ink draws both):\n` +
      `  our Table (${HEIGHT - 1} rows): ${fmt(ours)}\n` +
      `  @alcalzone/ink-table via WindowedInkTable (${inkTableCapacity(HEIGHT)} rows, boxed): ${fmt(fork)}\n` +
      `  → the fork costs ${(percentile(fork, 0.5) / percentile(ours, 0.5)).toFixed(2)}x ours at p50, ` +
      `${(percentile(fork, 0.95) / percentile(ours, 0.95)).toFixed(2)}x at p95, for less than half the rows`,
  );
}
