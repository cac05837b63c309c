import { describe, expect, it } from 'vitest';
import { codeUidOf } from '../../../../src/core/container/code-uid.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';

const withId = (answer: (user: string) => ReturnType<typeof runResult>) => {
  const incus = new FakeIncus([{ name: 'box' }]);
  incus.exec.answer((_c, command) =>
    command[0] === 'id' && command[1] === '-u' ? answer(command[2]!) : runResult(1),
  );
  return incus;
};

describe('codeUidOf', () => {
  it("asks the container for its code user's uid (remapped to the workspace owner)", async () => {
    const incus = withId((user) => (user === 'dev' ? runResult(0, '1500\n') : runResult(1)));
    expect(await codeUidOf(incus, { name: 'box', codeUser: 'dev' })).toBe(1500);
  });

  it("falls back to the image's 1000 when `id` cannot tell, never to root", async () => {
    const unknownUser = withId(() => runResult(1, '', 'id: no such user'));
    expect(await codeUidOf(unknownUser, { name: 'box', codeUser: 'dev' })).toBe(1000);
    const silent = withId(() => runResult(0, '\n'));
    expect(await codeUidOf(silent, { name: 'box', codeUser: 'dev' })).toBe(1000);
  });
});
