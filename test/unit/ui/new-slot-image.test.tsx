import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

const WIDE = { cols: 200, rows: 30 };
const statusLine = (app: { lines: () => string[] }) => app.lines().at(-2) ?? '';

describe('new slot on a host without the agents’ image', () => {
  test('says so on the status line, offers the build, and launches nothing', async () => {
    const { actions, calls, image } = recordingActions();
    image.missing = true;
    const app = renderApp(populatedStore(1, 1), actions, WIDE);
    await settle();
    await app.press('n');
    expect(statusLine(app)).toContain(
      'coi-default is not built, so a new slot would have no agent: press B to build it (about 10 minutes)',
    );
    expect(calls).toEqual([]);
  });

  test('B asks first, builds with progress, then n starts the slot', async () => {
    const { actions, calls, image } = recordingActions();
    image.missing = true;
    const app = renderApp(populatedStore(1, 1), actions, WIDE);
    await settle();
    await app.press('B');
    expect(app.screen()).toContain('Build the agents’ image?');
    expect(calls).toEqual([]);
    await app.press(KEY.tab, KEY.enter);
    expect(calls).toEqual([['buildImage', 'coi-default']]);
    expect(statusLine(app)).toContain('Built coi-default: press n for a new slot');
    await app.press('n');
    await settle();
    expect(statusLine(app)).toContain('Started coi-new-3 in ws-1');
    expect(calls).toEqual([
      ['buildImage', 'coi-default'],
      ['newSlot', 'ws-1'],
    ]);
  });
});
