import { describe, expect, it } from 'vitest';
import { sandboxContext } from '../../../../src/core/session/context.js';
import { config } from './config.js';

const base = {
  workspace: '/home/dev/project',
  slot: 2,
  container: 'coi-abcdef12-2',
  persistent: false,
};

describe('sandbox context', () => {
  it('tells the agent where it runs: workspace, container, slot, lifetime, network, protection', () => {
    const text = sandboxContext({ ...base, config: config() });
    expect(text.startsWith('# Sandbox context\n')).toBe(true);
    expect(text).toContain('/home/dev/project is mounted at /workspace');
    expect(text).toContain('Container: coi-abcdef12-2 (slot 2), ephemeral');
    expect(text).toContain('Network: restricted');
    expect(text).toContain(
      'read-only: .git/hooks, .git/config, .git/config.worktree, .git/info/attributes, .husky, .vscode, .coi',
    );
    expect(text).toContain('`sudo poweroff`');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('lists the allowlist, persistence, additional protected paths and the profile context', () => {
    const text = sandboxContext({
      ...base,
      persistent: true,
      config: config({
        network: { mode: 'allowlist', allowed_domains: ['api.example.com'] },
        security: { additional_protected_paths: ['secrets'] },
      }),
      profileContext: '  Use pnpm.  \n',
    });
    expect(text).toContain('persistent: kept between sessions');
    expect(text).toContain('only these hosts are reachable: api.example.com');
    expect(text).not.toContain('Named hosts');
    expect(text).toContain('.codex/config.toml, secrets');
    expect(text).toMatch(/## Profile context\n\nUse pnpm\.\n$/);
  });

  it('names the [[network.hosts]] the agent may reach', () => {
    const hosts = [
      { ip: '192.168.1.50', hostnames: ['nas.lan', 'nas'], ports: [445, '8000-8100'] },
      { ip: '10.0.0.7', hostnames: ['db.internal'], ports: [] },
    ];
    const text = sandboxContext({ ...base, config: config({ network: { hosts } }) });
    expect(text).toContain(
      '- Named hosts, reachable by name: nas.lan, nas (192.168.1.50, ports 445,8000-8100); ' +
        'db.internal (10.0.0.7, ports all).',
    );
  });

  it('says nothing is protected when protection is off', () => {
    const text = sandboxContext({
      ...base,
      config: config({ security: { disable_protection: true } }),
    });
    expect(text).toContain('Protected paths are read-only: none.');
  });

  it('uses the text of [tool] context_file instead of its own, still with the profile context', () => {
    const text = sandboxContext({
      ...base,
      config: config(),
      text: '# Mine\n\nBe careful.\n\n',
      profileContext: 'Use pnpm.',
    });
    expect(text).toBe('# Mine\n\nBe careful.\n\n## Profile context\n\nUse pnpm.\n');
  });
});
