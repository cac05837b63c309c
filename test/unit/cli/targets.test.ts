import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { resolveTargets } from '../../../src/cli/targets.js';
import { containerName } from '../../../src/shared/naming.js';
import { FakeIncus } from '../../helpers/fake-incus.js';

const PREFIX = 'coi-t-';
const a = containerName('/ws/a', 1, PREFIX);
const b = containerName('/ws/b', 1, PREFIX);

const ctx = (incus: FakeIncus) => ({ incus, prefix: PREFIX }) as unknown as CliContext;
let stderr: string;

beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('the containers of coi kill, shutdown and persist', () => {
  it('says so, in the Go coi’s words, when --all finds none', async () => {
    const found = await resolveTargets(ctx(new FakeIncus([])), [], { all: true }, 'Kill');
    expect(found).toEqual({ targets: [], missing: [] });
    expect(stderr).toBe('No containers to Kill\n');
  });

  it('lists what --all found before acting on it', async () => {
    const incus = new FakeIncus([{ name: a }, { name: b }]);
    const found = await resolveTargets(ctx(incus), [], { all: true, force: true }, 'Shutdown');
    expect(found.targets).toEqual([a, b]);
    expect(stderr).toBe(`Found 2 container(s):\n  - ${a}\n  - ${b}\n`);
  });

  it('asks "<Action> all these containers?", and refuses without a terminal or --force', async () => {
    const incus = new FakeIncus([{ name: a }]);
    await expect(resolveTargets(ctx(incus), [], { all: true }, 'persist')).rejects.toThrow(
      /^Persist all these containers\? — refusing without --force/,
    );
  });

  it('tells a missing name apart from the ones it found', async () => {
    const incus = new FakeIncus([{ name: a }]);
    const found = await resolveTargets(ctx(incus), [a, 'coi-t-gone'], {}, 'Kill');
    expect(found).toEqual({ targets: [a], missing: ['coi-t-gone'] });
  });

  it('names the mistake when no container is given, or names and --all together', async () => {
    const incus = new FakeIncus([]);
    await expect(resolveTargets(ctx(incus), [], {}, 'Kill')).rejects.toThrow(
      "no container names provided - use 'coi list' to see active containers, or --all for every one",
    );
    await expect(resolveTargets(ctx(incus), [a], { all: true }, 'Kill')).rejects.toThrow(
      'give container names or --all, not both',
    );
  });
});
