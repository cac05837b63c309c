import { describe, expect, it } from 'vitest';
import {
  CLEANING_UP,
  KEPT_RUNNING,
  sessionEndedLines,
  startingSessionLines,
} from '../../../src/cli/session-lines.js';
import type { EndResult } from '../../../src/core/session/end.js';
import type { Session } from '../../../src/core/session/launch.js';
import type { SavedSession } from '../../../src/core/session/saved-sessions.js';

const session = {
  container: 'coi-abc12345-2',
  slot: 2,
  sessionId: 'a1b2c3d4-0000-4000-8000-000000000000',
  workspace: '/home/u/project',
  persistent: false,
  reused: false,
} as Session;

describe('what coi shell prints before the agent', () => {
  it('is the Go coi’s block, with the slot added after the workspace', () => {
    expect(startingSessionLines(session, 'interactive', false).join('\n')).toBe(
      [
        '',
        'Starting session...',
        'Session ID: a1b2c3d4-0000-4000-8000-000000000000',
        'Container: coi-abc12345-2',
        'Workspace: /home/u/project',
        'Slot: 2 (ephemeral)',
        'Mode: Interactive (tmux)',
        '',
      ].join('\n'),
    );
  });

  it('says how a background session is reached, and which resume it is', () => {
    const lines = startingSessionLines(
      { ...session, persistent: true, reused: true },
      'background',
      true,
    );
    expect(lines).toContain('Slot: 2 (persistent)');
    expect(lines).toContain('Mode: Background (tmux)');
    expect(lines).toContain('Resume mode: Persistent session');
    expect(lines.slice(-3)).toEqual([
      'Created background tmux session: coi-coi-abc12345-2',
      "Use 'coi tmux capture coi-abc12345-2' to view output",
      `Use 'coi tmux send coi-abc12345-2 "<command>"' to send commands`,
    ]);
    expect(startingSessionLines(session, 'direct', true)).toEqual(
      expect.arrayContaining([
        'Mode: Direct (no tmux)',
        'Resume mode: Restored conversation (auto-detect)',
      ]),
    );
  });
});

describe('what coi shell prints when the terminal returns', () => {
  const saved = { dir: '/home/u/.coi/sessions-claude/a1b2' } as SavedSession;

  it('keeps the Go coi’s cleanup lines', () => {
    expect(CLEANING_UP).toBe('\nCleaning up session...');
    expect(KEPT_RUNNING).toMatch(/^\[cleanup\] Container kept running - use 'coi attach'/);
  });

  it('says where the state was saved and that the container is gone', () => {
    const ended: EndResult = { existed: true, saved, deleted: true };
    expect(sessionEndedLines('coi-abc12345-2', ended)).toEqual([
      '[cleanup] Saving session data to /home/u/.coi/sessions-claude/a1b2',
      '[cleanup] Session data saved successfully',
      '[cleanup] Container removed (session data saved for --resume)',
      'Container coi-abc12345-2 deleted.',
    ]);
  });

  it('says a persistent container was kept, and a vanished one was not "kept"', () => {
    expect(sessionEndedLines('c', { existed: true, deleted: false })).toEqual([
      "[cleanup] Container kept (stopped) - run 'coi shell' in this workspace to start it again",
      'Container c kept (persistent).',
    ]);
    expect(sessionEndedLines('c', { existed: false, deleted: false })).toEqual([
      '[cleanup] Container was already removed',
    ]);
    expect(sessionEndedLines('c', { existed: true, deleted: true })).toEqual([
      '[cleanup] Container removed',
      'Container c deleted.',
    ]);
  });
});
