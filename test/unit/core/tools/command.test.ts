import { describe, expect, it } from 'vitest';
import { agentCommand, headlessCommand } from '../../../../src/core/tools/command.js';
import { genericTool } from '../../../../src/core/tools/generic.js';
import { toolAdapter } from '../../../../src/core/tools/registry.js';
import { toolEnvironment } from '../../../../src/core/tools/settings.js';
import { config } from '../session/config.js';

const home = '/home/code';

describe('the agent command from the config', () => {
  it('passes [tool.claude] model and effort_level in the environment', () => {
    const cfg = config({ tool: { claude: { model: 'opus', effort_level: 'max' } } });
    expect(toolEnvironment(cfg, toolAdapter('claude').adapter)).toEqual({
      ANTHROPIC_MODEL: 'opus',
      CLAUDE_CODE_EFFORT_LEVEL: 'max',
    });
    expect(toolEnvironment(config(), toolAdapter('claude').adapter)).toEqual({});
    // codex settings are not claude's.
    expect(toolEnvironment(cfg, toolAdapter('codex').adapter)).toEqual({});
  });

  it('passes [tool.codex] settings as flags, interactive and headless', () => {
    const cfg = config({
      tool: { name: 'codex', codex: { model: 'o3', reasoning_effort: 'low' } },
    });
    const tool = toolAdapter('codex');
    expect(agentCommand(cfg, { tool, home })).toEqual([
      'codex',
      '--dangerously-bypass-approvals-and-sandbox',
      '-m',
      'o3',
      '-c',
      'model_reasoning_effort="low"',
    ]);
    expect(headlessCommand(cfg, { tool, home }, 'go').at(-1)).toBe('go');
  });

  it('refuses a prompt unless the agent may act without asking (exit 2)', () => {
    const cfg = config({ tool: { permission_mode: 'interactive' } });
    const run = () => headlessCommand(cfg, { tool: toolAdapter('claude'), home }, 'go');
    expect(run).toThrow(/needs \[tool\] permission_mode = "bypass" \(it is "interactive"\)/);
    expect(run).toThrow(expect.objectContaining({ kind: 'config' }));
  });

  it('refuses a prompt for a tool without a print mode', () => {
    const tool = { adapter: genericTool('goose'), binary: 'goose' };
    expect(() => headlessCommand(config(), { tool, home }, 'go')).toThrow(
      /goose has no print mode/,
    );
  });

  it('refuses a prompt longer than one argv string may be (exit 2)', () => {
    const tool = toolAdapter('claude');
    expect(headlessCommand(config(), { tool, home }, 'x'.repeat(120_000)).at(-1)).toHaveLength(
      120_000,
    );
    expect(() => headlessCommand(config(), { tool, home }, 'x'.repeat(130_000))).toThrow(
      /the prompt is 130000 bytes/,
    );
  });
});
