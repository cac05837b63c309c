import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveEntries } from '../../../../src/core/config/index.js';
import { makeHost } from './fixture.js';

describe('[tool] settings and [prompts]', () => {
  it('are read from a trusted file and listed by `coi config show`', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      [
        '[tool]',
        'name = "codex"',
        'context_file = "~/ctx.md"',
        '[tool.claude]',
        'model = "opus"',
        'effort_level = "xhigh"',
        '[tool.codex]',
        'reasoning_effort = "high"',
        '[prompts]',
        'review = "Review the diff."',
      ].join('\n'),
    );
    const { config, origins } = host.load();
    expect(config.tool.context_file).toBe(`${host.home}/ctx.md`);
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e.value]));
    expect(shown.get('tool.name')).toBe('codex');
    expect(shown.get('tool.claude.model')).toBe('opus');
    expect(shown.get('tool.claude.effort_level')).toBe('xhigh');
    expect(shown.get('tool.codex.reasoning_effort')).toBe('high');
    expect(shown.get('prompts.review')).toBe('Review the diff.');
  });

  it('rejects an effort the CLI does not know, naming the key', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[tool.codex]\nreasoning_effort = "huge"\n');
    expect(() => host.load()).toThrow(/tool\.codex\.reasoning_effort/);
  });

  it('cannot come from the workspace: context_file reads a host file, prompts run unattended', () => {
    const host = makeHost();
    host.write(
      join(host.workspace, '.coi/config.toml'),
      '[tool]\ncontext_file = "/etc/shadow"\n[tool.claude]\nmodel = "opus"\n[prompts]\nx = "rm -rf"\n',
    );
    const { config, warnings } = host.load();
    expect(warnings.map((w) => w.key)).toEqual(['tool.context_file', 'prompts.x']);
    expect(config.tool.context_file).toBeUndefined();
    expect(config.prompts).toEqual({});
    // A model is no host secret: the workspace may choose it.
    expect(config.tool.claude.model).toBe('opus');
  });
});
