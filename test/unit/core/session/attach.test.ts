import { describe, expect, it } from 'vitest';
import { afterAttach } from '../../../../src/core/session/attach.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';

const NAME = 'coi-abcdef12-1';

/** A running container whose tmux answers `tmuxExit` and whose systemd is in `state`. */
function container(tmuxExit: number, state: string, onSystemctl = () => undefined) {
  const incus = new FakeIncus([{ name: NAME, status: 'Running' }]);
  incus.exec.answer((_instance, argv) => {
    if (argv[0] === 'tmux') return runResult(tmuxExit);
    if (argv[0] === 'systemctl') {
      onSystemctl();
      return runResult(state === 'running' ? 0 : 1, `${state}\n`);
    }
    return undefined;
  });
  return incus;
}

describe('afterAttach', () => {
  it('a tmux session still there is a detach', async () => {
    expect(await afterAttach(container(0, 'running'), NAME, 1000)).toBe('detached');
  });

  it('tmux gone in a container that keeps running is a tmux that ended', async () => {
    expect(await afterAttach(container(1, 'running'), NAME, 1000)).toBe('tmux-ended');
    expect(await afterAttach(container(1, 'degraded'), NAME, 1000)).toBe('tmux-ended');
  });

  it('tmux gone while systemd powers the container off is a stop', async () => {
    const incus = container(1, 'stopping', () => {
      incus.instances.all.get(NAME)!.status = 'Stopped';
    });
    expect(await afterAttach(incus, NAME, 1000)).toBe('stopped');
  });
});
