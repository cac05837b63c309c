import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { etcHostsScript } from '../../../../src/core/hosts/etc-hosts.js';
import { run } from '../../../../src/shared/run.js';

const work = mkdtempSync(join(tmpdir(), 'coi-etc-hosts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the script against a copy of /etc/hosts (the path rewritten) and returns the result. */
async function applied(
  before: string | undefined,
  hosts: Parameters<typeof etcHostsScript>[0],
): Promise<string | undefined> {
  const file = join(work, `hosts-${Math.random()}`);
  if (before !== undefined) writeFileSync(file, before);
  const script = etcHostsScript(hosts)
    .map((line) => line.replaceAll('/etc/hosts', file))
    .join('\n');
  await run('sh', ['-ec', script]);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

describe('/etc/hosts lines of the named hosts', () => {
  const BASE = '127.0.0.1 localhost\n::1 localhost ip6-localhost\n';

  it('appends one marked line per entry and replaces only its own lines next time', async () => {
    const first = await applied(BASE, [
      { ip: '192.168.1.50', hostnames: ['nas.lan', 'nas'] },
      { ip: '10.0.0.7', hostnames: ['db.internal'] },
    ]);
    expect(first).toBe(
      BASE + '192.168.1.50 nas.lan nas # coi-hosts\n10.0.0.7 db.internal # coi-hosts\n',
    );
    const second = await applied(`${first}10.1.1.1 mine\n`, [
      { ip: '10.0.0.8', hostnames: ['db.internal'] },
    ]);
    expect(second).toBe(BASE + '10.1.1.1 mine\n10.0.0.8 db.internal # coi-hosts\n');
    expect(await applied(second!, [])).toBe(BASE + '10.1.1.1 mine\n');
  });

  it('leaves an image without /etc/hosts alone until there is an entry, then creates it', async () => {
    expect(await applied(undefined, [])).toBeUndefined();
    expect(await applied(undefined, [{ ip: '10.0.0.7', hostnames: ['db'] }])).toBe(
      '10.0.0.7 db # coi-hosts\n',
    );
  });
});
