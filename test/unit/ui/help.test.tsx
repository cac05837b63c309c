import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { COMMANDS } from '../../../src/ui/keys/commands.js';
import { KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

describe('help overlay', () => {
  test.each([
    [80, 24],
    [120, 40],
  ])('lists every registered command at %ix%i', async (cols, rows) => {
    const app = renderApp(populatedStore(2, 2), recordingActions().actions, { cols, rows });
    await settle();
    await app.press('?');
    const screen = app.screen();
    for (const command of COMMANDS) {
      expect(screen).toContain(command.keyLabel);
      expect(screen, command.id).toContain(command.help);
    }
    for (const line of app.lines()) expect(line.length).toBeLessThanOrEqual(cols);
    await app.press(KEY.escape);
    expect(app.screen()).toContain('Workspaces');
  });

  test('scrolls when the terminal is too short for the whole list', async () => {
    const app = renderApp(populatedStore(1, 1), recordingActions().actions, { cols: 60, rows: 15 });
    await settle();
    await app.press('?');
    let seen = app.screen();
    expect(seen).toContain('↑/↓ scroll');
    for (let i = 0; i < COMMANDS.length; i++) {
      await app.press(KEY.down);
      seen += app.screen();
    }
    for (const command of COMMANDS) expect(seen, command.id).toContain(command.help);
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
    for (const command of COMMANDS.filter((c) => c.footer)) {
      expect(footer).toContain(`${command.keyLabel} ${command.title}`);
    }
  });

  test('help texts fit the two-column overlay of an 80-column terminal', () => {
    for (const command of COMMANDS) expect(command.help.length, command.id).toBeLessThanOrEqual(29);
  });

  test('every key is bound to exactly one command', () => {
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
