import { describe, expect, it } from 'vitest';
import { captureSession, sendToSession } from '../../../../src/core/session/tmux-control.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';

describe('tmux control', () => {
  it('says when the container does not exist or is not running', async () => {
    const incus = new FakeIncus([{ name: 'stopped', status: 'Stopped' }]);
    await expect(sendToSession(incus, 'gone', 'hi')).rejects.toThrow(
      'container "gone" does not exist',
    );
    await expect(captureSession(incus, 'stopped')).rejects.toThrow(
      'stopped is stopped, not running',
    );
  });

  it("talks to the session as the container's recorded code user", async () => {
    const tmuxUids: (number | undefined)[] = [];
    const incus = new FakeIncus([{ name: 'box', config: { 'user.coi.code_user': 'dev' } }]);
    incus.exec.answer((_c, command, { user: uid }) => {
      if (command.join(' ') === 'id -u dev') return runResult(0, '1500\n');
      if (command[0] !== 'tmux') return runResult(1);
      tmuxUids.push(uid);
      return runResult(0, command[1] === 'capture-pane' ? 'pane text\n' : '');
    });
    expect(await captureSession(incus, 'box')).toBe('pane text\n');
    expect(tmuxUids).toEqual([1500, 1500]);
  });
});
