import { afterEach, describe, expect, test } from 'vitest';
import type { NetworkDecision } from '../../../src/core/control-room/slot-view-types.js';
import { formatClock } from '../../../src/ui/format/units.js';
import { cleanup } from './harness.js';
import { KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

const NAME = 'coi-0000ws-1-1';
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

const REFUSED: NetworkDecision = {
  time: T0 + 3000,
  source: 'dns',
  verdict: 'refused',
  name: 'evil.example',
  address: '',
  reason: 'not on the allowlist',
};
const ALLOWED: NetworkDecision = {
  time: T0 + 2000,
  source: 'proxy',
  verdict: 'allowed',
  name: 'api.github.com',
  address: '140.82.112.6',
  port: 443,
  reason: 'SNI on the allowlist',
};
const DROPPED: NetworkDecision = {
  time: T0 + 1000,
  source: 'nft',
  verdict: 'blocked',
  name: '',
  address: '169.254.169.254',
  port: 80,
  reason: 'cloud metadata endpoint',
};

async function networkOfFirstSlot(decisions: NetworkDecision[] = [REFUSED, ALLOWED, DROPPED]) {
  const store = populatedStore(1, 2);
  const rec = recordingActions();
  const app = renderApp(store, rec.actions, { cols: 120, rows: 24 });
  await settle();
  await app.press(KEY.down, 'N');
  rec.views.sink!.onData({ view: 'network', container: NAME, decisions });
  await settle();
  return { store, app, ...rec };
}

const statusLine = (app: { lines: () => string[] }) => app.lines().at(-2) ?? '';

describe('network tail view', () => {
  test('N lists the decisions of the selected slot newest first: time, verdict, name, address, reason', async () => {
    const { app, calls } = await networkOfFirstSlot();
    const screen = app.screen();
    expect(screen).toContain(`Network · ${NAME}`);
    expect(screen).toContain('3 decisions, newest first (following)');
    expect(screen).toMatch(/TIME +│ VERDICT │ NAME +│ ADDRESS:PORT +│ REASON/);
    expect(screen).toMatch(
      new RegExp(
        `› +│ ${formatClock(REFUSED.time)} │ refused │ evil\\.example +│ - +│ dns: not on the allowlist`,
      ),
    );
    expect(screen).toMatch(
      /allowed │ api\.github\.com +│ 140\.82\.112\.6:443 +│ proxy: SNI on the allowlist/,
    );
    expect(screen).toMatch(/blocked │ - +│ 169\.254\.169\.254:80 +│ nft: cloud metadata endpoint/);
    expect(screen.indexOf('evil.example')).toBeLessThan(screen.indexOf('api.github.com'));
    expect(calls).toEqual([['watchSlotView', `network ${NAME}`]]);
  });

  test('following keeps the newest row selected; after moving, the selected row stays as rows arrive', async () => {
    const { app, views } = await networkOfFirstSlot([ALLOWED, DROPPED]);
    const newer = { ...REFUSED, time: T0 + 9000 };
    views.sink!.onData({ view: 'network', container: NAME, decisions: [newer, ALLOWED, DROPPED] });
    await settle();
    expect(app.screen()).toMatch(/› +│ [\d:]+ │ refused │ evil\.example/);
    await app.press(KEY.down);
    expect(app.screen()).toMatch(/› +│ [\d:]+ │ allowed │ api\.github\.com/);
    expect(app.screen()).not.toContain('(following)');
    const newest = { ...DROPPED, time: T0 + 10_000, address: '10.0.0.1' };
    views.sink!.onData({
      view: 'network',
      container: NAME,
      decisions: [newest, newer, ALLOWED, DROPPED],
    });
    await settle();
    expect(app.screen()).toMatch(/› +│ [\d:]+ │ allowed │ api\.github\.com/);
    await app.press('f');
    expect(app.screen()).toMatch(/› +│ [\d:]+ │ blocked │ - +│ 10\.0\.0\.1/);
  });

  test('a allows the selected refused name for the slot, and the status line says it was done', async () => {
    const { app, calls } = await networkOfFirstSlot();
    await app.press('a');
    expect(calls).toContainEqual(['changeAllowlist', `allow ${NAME} evil.example`]);
    expect(statusLine(app)).toContain(`evil.example allowed for ${NAME}`);
  });

  test('a on a row that is not a refused name allows nothing and says why', async () => {
    const { app, calls } = await networkOfFirstSlot();
    await app.press(KEY.down, 'a');
    expect(statusLine(app)).toContain('Nothing to allow: select a row with a refused name');
    await app.press(KEY.down, 'a');
    expect(statusLine(app)).toContain('names no host');
    expect(calls.filter(([m]) => m === 'changeAllowlist')).toEqual([]);
  });

  test('b asks before blocking the selected allowed name; cancel does nothing, confirm blocks it', async () => {
    const { app, calls } = await networkOfFirstSlot();
    await app.press('b');
    expect(app.screen()).not.toContain('Block name?');
    expect(statusLine(app)).toContain('Nothing to block');
    await app.press(KEY.down, 'b');
    expect(app.screen()).toContain('Block name?');
    expect(app.screen()).toContain('Name:      api.github.com');
    await app.press(KEY.enter);
    expect(calls.filter(([m]) => m === 'changeAllowlist')).toEqual([]);
    await app.press('b', KEY.right, KEY.enter);
    expect(calls).toContainEqual(['changeAllowlist', `block ${NAME} api.github.com`]);
    expect(app.screen()).toContain(`Network · ${NAME}`);
  });

  test('N is in the ? help, and the view lists its own keys on its title line', async () => {
    const { app } = await networkOfFirstSlot();
    const title = app.lines().find((l) => l.includes('Network ·')) ?? '';
    expect(title).toMatch(/a allow.*b block.*f follow/);
    await app.press(KEY.escape, '?');
    expect(app.screen()).toContain('Network tail of the slot');
  });

  test('an empty tail says so; a feed error shows above it', async () => {
    const { app, views } = await networkOfFirstSlot([]);
    expect(app.screen()).toContain('No network decisions recorded for this slot yet');
    views.sink!.onError(`${NAME}: the monitor daemon is not running`);
    await settle();
    expect(app.screen()).toContain('the monitor daemon is not running');
  });
});
