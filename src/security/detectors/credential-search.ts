import { TITLES } from '../alert.js';
import { grepFor, recursiveGrepFor, type CommandMatch } from './command-patterns.js';
import type { SimpleCommand } from './command-words.js';

/** Credential searches on a command line: `find` for key files, greps for cloud or private keys. */

const CLOUD_KEY =
  /aws_access_key_id|aws_secret_access_key|aws_session_token|BEGIN (?:[A-Z]+ )?PRIVATE KEY/i;
const KEY_FILE =
  /(?<![\w.-])(id_(?:rsa|dsa|ecdsa|ed25519)|\.git-credentials|\.netrc|\.pgpass|credentials(?:\.json)?|\.aws)(?![\w-])/;

function search(pattern: string, what: string, indicators: string[]): CommandMatch {
  return {
    level: 'warning',
    category: 'credential_access',
    title: TITLES.credentialSearch,
    pattern,
    what,
    indicators,
  };
}

export function credentialSearches(commands: SimpleCommand[]): CommandMatch[] {
  const found: CommandMatch[] = [];
  for (const cmd of commands) {
    if (cmd.program === 'find') {
      const named = cmd.args.findIndex((a) => /^-i?(name|path|wholename|regex)$/.test(a));
      const value = named >= 0 ? cmd.args[named + 1] : undefined;
      if (value && KEY_FILE.test(value))
        found.push(search('find-keys', 'key or credential files searched', ['find', value]));
    }
    const key = recursiveGrepFor(cmd, CLOUD_KEY) ?? grepFor(cmd, CLOUD_KEY);
    if (key)
      found.push(
        search('grep-keys', 'files searched for cloud keys or private keys', [cmd.program, key]),
      );
  }
  return found;
}
