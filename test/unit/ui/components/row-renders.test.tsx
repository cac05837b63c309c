import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as segments from '../../../../src/ui/format/segments.js';
import { cleanup } from '../harness.js';
import { alert, populatedStore, recordingActions, renderApp, settle } from '../helpers.js';

// Every render of a `Line` fits its segments once: counting the calls counts the row renders.
vi.mock('../../../../src/ui/format/segments.js', async (importOriginal) => {
  const actual = await importOriginal<typeof segments>();
  return { ...actual, fitSegments: vi.fn(actual.fitSegments) };
});
const fitSegments = vi.mocked(segments.fitSegments);

const text = (call: Parameters<typeof segments.fitSegments>) => call[0].map((s) => s.text).join('');
/** Table rows rendered since the last reset: slot rows and alert rows (by their clock column). */
const rendered = () => {
  const lines = fitSegments.mock.calls.map(text);
  return {
    slots: lines.filter((l) => l.startsWith('  coi-') || l.startsWith('▾ ')),
    alerts: lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l)),
  };
};

afterEach(cleanup);
beforeEach(() => {
  fitSegments.mockClear();
});

async function room() {
  const store = populatedStore(10, 10);
  store.getState().addAlerts([1, 2, 3].map((n) => alert(n, { severity: 'warning' })));
  const app = renderApp(store, recordingActions().actions, { cols: 140, rows: 40 });
  await settle();
  expect(rendered().slots.length).toBeGreaterThan(30);
  fitSegments.mockClear();
  return { store, app };
}

describe('row renders', () => {
  test('a metrics tick re-renders only the row whose figures changed', async () => {
    const { store } = await room();
    const s = store.getState();
    // A poll delivers new objects for every instance, equal but one.
    const batch = Object.fromEntries(Object.entries(s.metrics).map(([k, m]) => [k, { ...m }]));
    batch['coi-0000ws-1-2']!.cpuPercent = 99;
    s.setMetrics(batch);
    await settle();
    expect(rendered().slots).toEqual([expect.stringMatching(/^ {2}coi-0000ws-1-2 .* 99%/)]);
    expect(rendered().alerts).toEqual([]);
  });

  test('a new alert renders its own row and no other table row', async () => {
    const { store } = await room();
    store.getState().addAlerts([alert(4, { severity: 'info', title: 'the new one' })]);
    await settle();
    expect(rendered().alerts).toEqual([expect.stringContaining('the new one')]);
    expect(rendered().slots).toEqual([]);
  });
});
