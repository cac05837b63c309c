import { describe, expect, it } from 'vitest';
import { claude } from '../../../../src/core/tools/claude.js';
import { opencode } from '../../../../src/core/tools/opencode.js';
import { pi } from '../../../../src/core/tools/pi.js';
import { toolAdapter } from '../../../../src/core/tools/registry.js';
import { withManagedBlock } from '../../../../src/core/tools/managed-block.js';

const none = () => undefined;

describe('claude adapter', () => {
  it('skips permission prompts in bypass mode', () => {
    expect(claude.command('claude', { permissionMode: 'bypass' })).toEqual([
      'claude',
      '--dangerously-skip-permissions',
    ]);
    expect(claude.command('claude', { permissionMode: 'interactive' })).toEqual(['claude']);
  });

  it('continues the newest session or resumes a given one', () => {
    expect(
      claude.command('claude', { permissionMode: 'interactive', resume: { kind: 'latest' } }),
    ).toEqual(['claude', '--continue']);
    expect(
      claude.command('claude', {
        permissionMode: 'interactive',
        resume: { kind: 'id', id: 'abc-1' },
      }),
    ).toEqual(['claude', '--resume', 'abc-1']);
  });

  it('writes the context into ~/.claude/CLAUDE.md and keeps what the user wrote', () => {
    const files = claude.homeFiles({ context: 'SANDBOX', permissionMode: 'bypass' }, (p) =>
      p === '.claude/CLAUDE.md' ? '# mine\n' : undefined,
    );
    expect(files).toHaveLength(1);
    expect(files[0]?.path).toBe('.claude/CLAUDE.md');
    expect(files[0]?.content).toMatch(/^# mine\n\n<!-- coi:sandbox-context:begin -->\nSANDBOX\n/);
  });

  it('writes nothing when auto_context is off', () => {
    expect(claude.homeFiles({ context: undefined, permissionMode: 'bypass' }, none)).toEqual([]);
  });
});

describe('opencode adapter', () => {
  it('adds the context to instructions and sets permissions, keeping other settings', () => {
    const [file] = opencode.homeFiles({ context: 'x', permissionMode: 'bypass' }, () =>
      JSON.stringify({ model: 'm', instructions: ['a.md'] }),
    );
    expect(file?.path).toBe('.config/opencode/opencode.json');
    const config = JSON.parse(file?.content ?? '{}');
    expect(config.model).toBe('m');
    expect(config.instructions).toEqual(['a.md', '~/SANDBOX_CONTEXT.md']);
    expect(config.permission).toEqual({ edit: 'allow', bash: 'allow', webfetch: 'allow' });
  });

  it('asks for permission in interactive mode and survives a broken config', () => {
    const [file] = opencode.homeFiles(
      { context: 'x', permissionMode: 'interactive' },
      () => '{nope',
    );
    expect(JSON.parse(file?.content ?? '{}').permission.bash).toBe('ask');
  });
});

describe('pi adapter', () => {
  it('appends the context to its system prompt file', () => {
    const [file] = pi.homeFiles({ context: 'ctx', permissionMode: 'bypass' }, none);
    expect(file?.path).toBe('.pi/agent/APPEND_SYSTEM.md');
    expect(file?.content).toContain('ctx');
    expect(pi.command('pi', { permissionMode: 'bypass', resume: { kind: 'latest' } })).toEqual([
      'pi',
      '--continue',
    ]);
  });
});

describe('managed block', () => {
  it('replaces an earlier block instead of adding another', () => {
    const once = withManagedBlock('head\n', 'v1');
    const twice = withManagedBlock(once, 'v2');
    expect(twice).toContain('v2');
    expect(twice).not.toContain('v1');
    expect(twice.match(/coi:sandbox-context:begin/g)).toHaveLength(1);
    expect(twice.startsWith('head\n')).toBe(true);
  });
});

describe('tool registry', () => {
  it('keeps a known adapter with another binary (a stand-in speaking its flags)', () => {
    const { adapter, binary } = toolAdapter('claude', '/usr/local/bin/coi-standin');
    expect(adapter.name).toBe('claude');
    expect(binary).toBe('/usr/local/bin/coi-standin');
  });

  it('uses the generic adapter for an unknown tool with a binary', () => {
    const { adapter } = toolAdapter('goose', 'goose');
    expect(adapter.stateDir).toBeUndefined();
    expect(adapter.printMode).toBe(false);
    expect(adapter.command('goose', { permissionMode: 'bypass' })).toEqual(['goose']);
  });

  it('refuses an unknown tool without a binary', () => {
    expect(() => toolAdapter('nope')).toThrow(/unknown tool "nope"/);
  });
});
