import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hostFilesVerdict,
  loginFacts,
  loginVerdict,
} from '../../../../src/core/health/login-checks.js';

const claude = { tool: 'claude', expected: ['~/.claude/.credentials.json'] };

describe('agent login verdict', () => {
  it('is ok when the login file is there or a key is forwarded', () => {
    expect(
      loginVerdict({ ...claude, found: ['~/.claude/.credentials.json'], forwarded: [] }, 'x')
        .message,
    ).toBe('claude: logged in (~/.claude/.credentials.json)');
    expect(
      loginVerdict({ ...claude, found: [], forwarded: ['ANTHROPIC_API_KEY'] }, 'x').message,
    ).toBe('claude: key forwarded from the environment (ANTHROPIC_API_KEY)');
  });

  it('warns with the file it looked for and how to log in', () => {
    expect(loginVerdict({ ...claude, found: [], forwarded: [] }, 'run `claude`')).toEqual({
      status: 'warning',
      message: 'claude: not logged in on this host (~/.claude/.credentials.json missing)',
      details: {
        tool: 'claude',
        files: ['~/.claude/.credentials.json'],
        login: 'run `claude`',
      },
    });
  });
});

describe('host files a session gets', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'coi-login-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const put = (rel: string, content = 'x') => {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), content);
  };

  it("finds the tool's login and settings by presence, from its declaration", () => {
    put('.claude/.credentials.json', '{"token":"SECRET"}');
    put('.claude/settings.json');
    put('.claude/CLAUDE.md', '');
    expect(loginFacts('claude', [], home, {})).toEqual({
      tool: 'claude',
      expected: ['~/.claude/.credentials.json'],
      found: ['~/.claude/.credentials.json'],
      forwarded: [],
      copied: ['~/.claude/.credentials.json', '~/.claude/settings.json'],
    });
    put('.codex/auth.json');
    expect(loginFacts('codex', ['OPENAI_API_KEY'], home, { OPENAI_API_KEY: 'k' })).toMatchObject({
      found: ['~/.codex/auth.json'],
      forwarded: ['OPENAI_API_KEY'],
    });
  });

  it('says what is copied, never a value, and warns about missing bundle paths', () => {
    put('.aws/credentials');
    const bundle = (host: string | string[]) => ({
      host,
      container: '~/x',
      mode: '0600',
      write_back: false,
    });
    const facts = { tool: 'pi', copied: ['~/.pi/agent/auth.json'] };
    expect(hostFilesVerdict(facts, [bundle(join(home, '.aws'))], home)).toMatchObject({
      status: 'ok',
      message: 'copied into each session: pi: ~/.pi/agent/auth.json; [[credentials]]: ~/.aws',
    });
    expect(
      hostFilesVerdict({ tool: 'pi', copied: [] }, [bundle([join(home, '.aws'), '/nope'])], home),
    ).toMatchObject({
      status: 'warning',
      message:
        'copied into each session: pi: none found (sessions start without its login and settings); ' +
        '[[credentials]]: ~/.aws; [[credentials]] host paths missing: /nope',
    });
  });
});
