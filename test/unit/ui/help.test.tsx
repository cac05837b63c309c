import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { modeHints } from '../../../src/ui/components/mode-hints.js';
import { commandsIn } from '../../../src/ui/keys/commands.js';
import { MODE_STACKS } from '../../../src/ui/keys/key-matchers.js';
import { MOUSE_HELP } from '../../../src/ui/keys/mouse-commands.js';

const DASHBOARD = commandsIn('dashboard');
import { KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

describe('help overlay', () => {
  test.each([
    [80, 24],
    [120, 40],
  ])('lists every dashboard command at %ix%i', async (cols, rows) => {
    const app = renderApp(populatedStore(2, 2), recordingActions().actions, { cols, rows });
    await settle();
    await app.press('?');
    const screen = app.screen();
    expect(screen).toContain(modeHints(MODE_STACKS.help));
    for (const command of DASHBOARD) {
      expect(screen).toContain(command.keyLabel);
      expect(screen, command.id).toContain(command.help);
    }
    for (const line of app.lines()) expect(line.length).toBeLessThanOrEqual(cols);
    if (cols >= 120) expect(screen).toContain(MOUSE_HELP);
    await app.press(KEY.escape);
    expect(app.screen()).toContain('Workspaces');
  });

  test('scrolls when the terminal is too short for the whole list', async () => {
    const app = renderApp(populatedStore(1, 1), recordingActions().actions, { cols: 60, rows: 15 });
    await settle();
    await app.press('?');
    let seen = app.screen();
    expect(seen).toContain(`${modeHints(MODE_STACKS.help)} (1-`);
    for (let i = 0; i < DASHBOARD.length; i++) {
      await app.press(KEY.down);
      seen += app.screen();
    }
    for (const command of DASHBOARD) expect(seen, command.id).toContain(command.help);
    for (const line of app.lines()) expect(line.length).toBeLessThanOrEqual(60);
    expect(app.lines().length).toBeLessThanOrEqual(14);
  });

  test('the footer hints come from the same registry', async () => {
    const app = renderApp(populatedStore(1, 1), recordingActions().actions, {
      cols: 200,
      rows: 30,
    });
    await settle();
    const footer = app.lines().at(-1)!;
    for (const command of DASHBOARD.filter((c) => c.visible)) {
      expect(footer).toContain(`${command.keyLabel} ${command.title}`);
    }
  });

  test('help texts fit the two-column overlay of an 80-column terminal', () => {
    for (const command of DASHBOARD)
      expect(command.help.length, command.id).toBeLessThanOrEqual(29);
  });

  test('every key is bound to exactly one command of the modes live together', () => {
    for (const [stack, modes] of Object.entries(MODE_STACKS)) {
      const keys = modes.flatMap((mode) => commandsIn(mode).flatMap((c) => c.keys));
      expect(new Set(keys).size, stack).toBe(keys.length);
    }
  });
});
