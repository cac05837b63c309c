import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../helpers/coi-cli.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'coi.js');

beforeAll(() => ensureBuilt());

describe('bin/coi.js', () => {
  it('ends quietly when the reader of its output goes away (`coi --help | head -1`)', () => {
    // `true` reads nothing and exits at once: every write of the help meets a closed pipe.
    for (const reader of ['true', 'head -1']) {
      const r = spawnSync(
        'bash',
        ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --help | ${reader}`],
        { encoding: 'utf8' },
      );
      expect(r.stderr, reader).toBe('');
      expect(r.status, reader).toBe(0);
    }
  });

  it('starts `coi version` without node:child_process, which commander only needs for executables', () => {
    const main = join(import.meta.dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
    const script = `const { main } = await import(${JSON.stringify(main)}); await main(['node', 'coi', 'version']);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /child_process|dgram/.test(m))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').at(-2)).toBe('[]');
  });
});
