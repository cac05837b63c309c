import { describe, expect, test } from 'vitest';
import {
  ANSWERED_AFTER_MS,
  QUIET_MS,
  deriveAgentState,
  type AgentObservation,
} from '../../../../../src/core/control-room/agent-state/derive.js';

const NOW = 1_764_590_000_000;
const hook = (state: NonNullable<AgentObservation['hook']>['state'], since = NOW - 10_000) => ({
  state,
  since,
});

describe('deriveAgentState', () => {
  test.each<[string, Omit<AgentObservation, 'now'>, string | undefined]>([
    ['no pane: nothing known', { pane: undefined }, undefined],
    ['no pane, whatever the hooks said', { pane: undefined, hook: hook('approval') }, undefined],
    ['the pane dropped to the shell', { pane: 'shell' }, 'exited'],
    [
      'the shell, even if the hooks said working',
      { pane: 'shell', hook: hook('working') },
      'exited',
    ],
    ['hooks: permission prompt', { pane: 'agent', hook: hook('approval') }, 'approval'],
    ['hooks: prompt waits', { pane: 'agent', hook: hook('input') }, 'input'],
    ['hooks: working', { pane: 'agent', hook: hook('working') }, 'working'],
    ['hooks: fresh session', { pane: 'agent', hook: hook('idle') }, 'idle'],
    [
      'approval, then CPU well after the prompt: answered, the tool runs',
      { pane: 'agent', hook: hook('approval'), activeAt: NOW - 10_000 + ANSWERED_AFTER_MS + 1 },
      'working',
    ],
    [
      'approval, CPU only while the prompt was drawn',
      { pane: 'agent', hook: hook('approval'), activeAt: NOW - 10_000 + ANSWERED_AFTER_MS },
      'approval',
    ],
    [
      'input stays input while the user types (its own hook follows)',
      { pane: 'agent', hook: hook('input'), activeAt: NOW },
      'input',
    ],
    [
      'hooks said exited, the tool is back and busy',
      { pane: 'agent', hook: hook('exited'), activeAt: NOW },
      'working',
    ],
    [
      'hooks said exited, the tool is back and quiet',
      { pane: 'agent', hook: hook('exited') },
      'idle',
    ],
    ['no hooks, CPU just now', { pane: 'agent', activeAt: NOW - 1000 }, 'working'],
    ['no hooks, quiet for a while', { pane: 'agent', activeAt: NOW - QUIET_MS }, 'idle'],
    ['no hooks, never active', { pane: 'agent' }, 'idle'],
  ])('%s', (_what, observation, expected) => {
    expect(deriveAgentState({ ...observation, now: NOW })).toBe(expected);
  });
});
