import { describe, expect, test } from 'vitest';
import {
  needsUser,
  parseHookReport,
} from '../../../../../src/core/control-room/agent-state/state.js';

describe('parseHookReport', () => {
  test.each([
    ['approval 1764590000123', { state: 'approval', at: 1764590000123 }],
    ['input 1764590000123\n', { state: 'input', at: 1764590000123 }],
    ['working', { state: 'working' }],
    ['exited\n', { state: 'exited' }],
  ])('%j', (text, report) => {
    expect(parseHookReport(text)).toEqual(report);
  });

  test.each(['', 'busy 1', 'Approval 1', 'approval  1', 'approval 1 2', 'approval x', ' idle'])(
    'rejects %j',
    (text) => {
      expect(parseHookReport(text)).toBeUndefined();
    },
  );
});

test('input and approval need the user; the rest do not', () => {
  expect(['input', 'approval'].every((s) => needsUser(s as 'input'))).toBe(true);
  for (const s of ['working', 'idle', 'exited', undefined] as const)
    expect(needsUser(s)).toBe(false);
});
