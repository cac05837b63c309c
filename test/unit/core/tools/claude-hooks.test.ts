import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  AGENT_STATE_FILE,
  parseHookReport,
} from '../../../../src/core/control-room/agent-state/state.js';
import { agentStateHooks } from '../../../../src/core/tools/claude-hooks.js';

interface HookEntry {
  matcher?: string;
  hooks: Array<{ type: string; command: string; timeout: number }>;
}

const hooks = agentStateHooks() as Record<string, HookEntry[]>;

/** The entry Claude Code would run for an event (and a Notification's notification_type). */
function entryFor(event: string, notificationType?: string): HookEntry | undefined {
  return hooks[event]?.find((e) =>
    event === 'Notification' ? e.matcher === notificationType : true,
  );
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'coi-hooks-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Runs the hook's command as Claude Code does (a shell, the event's JSON on stdin). */
function run(entry: HookEntry, input: Record<string, unknown>): string {
  const [hook] = entry.hooks;
  // A hook that does not read its input may exit before it is written (EPIPE): that is fine.
  const r = spawnSync('sh', ['-c', hook!.command], {
    env: { PATH: process.env.PATH, HOME: home },
    input: JSON.stringify(input),
  });
  expect(r.status, r.stderr.toString()).toBe(0);
  return readFileSync(join(home, AGENT_STATE_FILE), 'utf8');
}

describe('the agent-state hooks coi puts in the managed policy', () => {
  test.each([
    ['Notification', 'permission_prompt', 'approval'],
    ['Notification', 'idle_prompt', 'input'],
    ['Notification', 'elicitation_dialog', 'input'],
    ['Stop', undefined, 'input'],
    ['UserPromptSubmit', undefined, 'working'],
    ['PreToolUse', undefined, 'working'],
    ['PostToolUse', undefined, 'working'],
    ['SessionStart', undefined, 'idle'],
    ['SessionEnd', undefined, 'exited'],
  ])('%s %s writes %s with the time', (event, notificationType, state) => {
    const entry = entryFor(event, notificationType);
    expect(entry, `${event} ${notificationType}`).toBeDefined();
    const before = Date.now();
    const report = parseHookReport(
      run(entry!, { hook_event_name: event, notification_type: notificationType }),
    );
    expect(report?.state).toBe(state);
    expect(report!.at).toBeGreaterThanOrEqual(before - 1000);
    expect(report!.at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  test('tool hooks match every tool; notifications of other types write nothing', () => {
    expect(entryFor('PreToolUse')?.matcher).toBe('*');
    expect(entryFor('PostToolUse')?.matcher).toBe('*');
    expect(hooks.Notification!.map((e) => e.matcher).sort()).toEqual([
      'elicitation_dialog',
      'idle_prompt',
      'permission_prompt',
    ]);
  });

  test('each is a short command hook (a hung one cannot hold the agent)', () => {
    for (const entries of Object.values(hooks))
      for (const entry of entries)
        for (const hook of entry.hooks) expect(hook).toMatchObject({ type: 'command', timeout: 5 });
  });
});
