import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagesApi } from '../../../src/incus/images.js';
import type { AuditRecord } from '../../../src/security/audit/record.js';
import { NetworkGuard } from '../../../src/security/network/index.js';
import { plantCanaries } from '../../../src/security/sources/canaries.js';
import { containerName } from '../../../src/shared/naming.js';
import { CORPUS_RESTRICTED, warmPageCache } from '../../helpers/attack-runner.js';
import { CACHED_DEFAULT } from '../../helpers/cached-default.js';
import type { MonitorBed } from '../../helpers/monitor-bed.js';
import { attackerPort, monitorBedForFile } from '../../helpers/monitor-bed.js';
import { launchGuarded } from '../../helpers/network-testbed.js';
import { BASE_IMAGE, BRIDGE, GATEWAY, TEST_PREFIX, incus } from '../../helpers/testbed.js';

/**
 * Everyday developer commands, run one after the other as the code user in one container (coi's
 * restricted rules, canaries planted, watched by the in-process monitor daemon): none may raise
 * anything above info, and the container must still be running at the end. A row whose tool the
 * image lacks is skipped, by name.
 */

const DEFAULT_IMAGE = CACHED_DEFAULT;
const hasDefault = (await new ImagesApi(incus()).findByAlias(DEFAULT_IMAGE)) !== undefined;

/** A project to work on: JS sources, a local npm package and an app using it, C, python, make. */
const PROJECT = String.raw`set -e
mkdir -p ~/work/src ~/work/lib ~/work/app ~/work/c && cd ~/work
printf '# demo\nTODO: docs\n' > README.md
for i in $(seq 20); do printf 'function f%s() { return %s; } // TODO tidy\nmodule.exports = f%s;\n' $i $i $i > src/m$i.js; done
printf '{"name":"lib","version":"1.0.0","main":"index.js","bin":{"lib-hello":"bin.js"}}\n' > lib/package.json
printf 'module.exports = (a, b) => a + b;\n' > lib/index.js
printf '#!/usr/bin/env node\nconsole.log("hello from lib");\n' > lib/bin.js && chmod +x lib/bin.js
printf '{"name":"app","version":"1.0.0","dependencies":{"lib":"file:../lib"},"scripts":{"test":"node test.js","build":"node -e \\"require(%s).writeFileSync(%s, %s)\\""}}\n' "'fs'" "'out.txt'" "'built'" > app/package.json
printf 'const add = require("lib");\nif (add(2, 3) !== 5) process.exit(1);\nconsole.log("ok");\n' > app/test.js
printf '#include <stdio.h>\nint add(int a, int b);\nint main(void) { printf("%%d\\n", add(2, 3)); return 0; }\n' > c/main.c
printf 'int add(int a, int b) { return a + b; }\n' > c/add.c
printf 'app: main.o add.o\n\tcc -o app main.o add.o\n%%.o: %%.c\n\tcc -O2 -c $<\n' > c/Makefile
printf 'def add(a, b):\n    return a + b\n' > calc.py
printf 'import unittest, calc\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 3), 5)\n' > test_calc.py
git init -q && git config user.email dev@example.invalid && git config user.name dev
git add -A && git commit -qm init
git init -q --bare ~/remote.git && git remote add origin ~/remote.git && git push -q origin HEAD:main
`;

interface BenignRow {
  name: string;
  script: string;
  /** Skipped when the image has no such command. */
  tool?: string;
  /** Needs coi-default (node, npm, a compiler, full python3). */
  needsDefault?: boolean;
}

const row = (name: string, script: string, opts: Omit<BenignRow, 'name' | 'script'> = {}) => ({
  name,
  script,
  ...opts,
});
const full = { needsDefault: true };

const HTTP_PORT = attackerPort();

const BENIGN: BenignRow[] = [
  row('ls -la', 'ls -la ~/work'),
  row('cat a file', 'cat README.md'),
  row('grep -rn TODO', 'grep -rn TODO src | wc -l'),
  row('grep -r --include', 'grep -r "return" . --include=*.js -l | wc -l'),
  row('find by name', 'find . -name "*.js" | wc -l'),
  row('wc over xargs', 'find src -name "*.js" -print0 | xargs -0 wc -l | tail -1'),
  row('sed -i and awk', 'sed -i "s/TODO tidy/done/" src/m1.js && awk "{print \\$1}" README.md'),
  row('sort | uniq', 'cat src/*.js | sort | uniq -c | sort -rn | head -3'),
  row('git status', 'git status --short'),
  row('git log', 'git log --oneline -5'),
  row('git diff', 'git diff --stat'),
  row(
    'git branch and commit',
    'git checkout -qb feature && git commit -qam edit && git checkout -q -',
  ),
  row(
    'git stash',
    'echo x >> README.md && git stash -q && git stash pop -q && git checkout -q README.md',
  ),
  row('git clone a local bare repo', 'rm -rf ~/clone && git clone -q ~/remote.git ~/clone'),
  row('git fetch', 'git fetch -q origin'),
  row('git push', 'git push -q origin feature'),
  row('git grep', 'git grep -n return | wc -l'),
  row('cp -a a tree', 'rm -rf ~/backup && cp -a ~/work/src ~/backup'),
  row('rsync a tree', 'rsync -a ~/work/src/ ~/rsynced/', { tool: 'rsync' }),
  row(
    'tar and untar',
    'tar czf /tmp/src.tgz src && mkdir -p /tmp/x && tar xzf /tmp/src.tgz -C /tmp/x',
  ),
  row('10 MB file and sha256', 'head -c 10M /dev/urandom > /tmp/blob && sha256sum /tmp/blob'),
  row('du and df', 'du -sh ~/work && df -h / | tail -1'),
  row('ps and top', 'ps aux | wc -l && top -bn1 | head -5'),
  row('env | wc', 'env | wc -l'),
  row('python -c print', 'python3 -c "print(1 + 1)"'),
  row('python unittest', 'python3 -m unittest -q test_calc'),
  row('python json', 'python3 -c "import json; print(json.dumps({\\"a\\": [1, 2]}))"'),
  row(
    'python dev server + curl',
    '(python3 -m http.server 8000 --bind 0.0.0.0 >/dev/null 2>&1 & echo $! > /tmp/py.pid); ' +
      'sleep 1; curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1:8000/; kill $(cat /tmp/py.pid)',
    full,
  ),
  row('python venv', 'rm -rf /tmp/venv && python3 -m venv --without-pip /tmp/venv', full),
  row('pip install a local package', 'pip3 install --no-index ./pkg', { tool: 'pip3' }),
  row('node -e', 'node -e "console.log([1, 2, 3].map((x) => x * 2))"', full),
  row(
    'node dev server + curl',
    `(node -e 'require("http").createServer((q, s) => s.end("ok")).listen(3000)' & echo $! > /tmp/node.pid); ` +
      'sleep 1; curl -s http://127.0.0.1:3000/; kill $(cat /tmp/node.pid)',
    full,
  ),
  row('npm install a local package', 'cd app && npm install --offline --no-audit --no-fund', full),
  row('npm test', 'cd app && npm test --silent', full),
  row('npm run build', 'cd app && npm run build --silent && cat out.txt', full),
  row('npx a local bin', 'cd app && npx --offline lib-hello', full),
  row('cc a program', 'cd c && cc -O2 -o hello main.c add.c && ./hello', full),
  row('make', 'cd c && make -s && ./app', full),
  row(
    'a test runner spawning 500 short processes',
    'seq 500 | xargs -P 4 -I{} sh -c "test {} -gt 0"',
  ),
  row(
    'python runner spawning 200 subprocesses',
    'python3 -c "import subprocess\nfor i in range(200): subprocess.run([\\"true\\"], check=True)"',
  ),
  row('download from the gateway', `curl -s -o /tmp/dl.txt http://${GATEWAY}:${HTTP_PORT}/file`),
  row('tmux session', 'tmux new -d -s t "sleep 5" && tmux ls && tmux kill-session -t t'),
  row('ssh -T to a local sshd', 'ssh -T -o BatchMode=yes localhost true', { tool: 'sshd' }),
  row('getent and resolv.conf', 'getent hosts localhost && cat /etc/resolv.conf >/dev/null'),
];

const PORT = attackerPort();
const guard = new NetworkGuard({ bridge: BRIDGE, gateway: GATEWAY });
let bed: MonitorBed;
monitorBedForFile(PORT, (b) => (bed = b), { guard });

let box: { name: string; ip: string };
let server: Server;
const tools = new Set<string>();

beforeAll(async () => {
  server = createServer((_req, res) => res.end('a file\n'));
  await new Promise<void>((resolve) => server.listen(HTTP_PORT, GATEWAY, resolve));
  const name = containerName('/monitor-test/benign-corpus', 1, TEST_PREFIX);
  box = await launchGuarded(name.slice(TEST_PREFIX.length), guard, CORPUS_RESTRICTED, {
    image: hasDefault ? DEFAULT_IMAGE : BASE_IMAGE,
  });
  await bed.daemon.watchOf(box.name);
  await plantCanaries(bed.incus, box.name, '/home/code', 1000);
  await warmPageCache(bed.incus, box.name);
  const made = await asCode(PROJECT);
  expect(made.exitCode, made.stderr).toBe(0);
  const wanted = BENIGN.flatMap((r) => (r.tool ? [r.tool] : []));
  const found = await asCode(
    `for t in ${wanted.join(' ')}; do command -v $t >/dev/null && echo $t; done; true`,
  );
  for (const t of found.stdout.split('\n')) if (t) tools.add(t);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (box) await guard.release(box.ip);
});

async function asCode(
  script: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await bed.incus.exec.run(box.name, ['bash', '-c', `cd ~/work 2>/dev/null; ${script}`], {
    user: 1000,
    group: 1000,
    environment: { HOME: '/home/code', USER: 'code', PATH: '/usr/local/bin:/usr/bin:/bin' },
  });
  return { exitCode: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const loud = (records: AuditRecord[]) =>
  records.filter((r) => r.level !== 'info').map((r) => `${r.level} ${r.title}: ${r.description}`);

/** Long enough for a process scan and an I/O sample after the command ends. */
const SETTLE_MS = 1500;

describe('benign corpus', () => {
  it.for(BENIGN.map((r) => ({ title: r.name, r })))('$title', async ({ r }, { skip }) => {
    skip(r.needsDefault === true && !hasDefault, `${DEFAULT_IMAGE} is not built`);
    skip(r.tool !== undefined && !tools.has(r.tool), `${r.tool} is not in the image`);
    const before = (await bed.records(box.name)).length;
    const result = await asCode(r.script);
    expect(result.exitCode, `${r.script}\n${result.stderr}`).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const alerts = loud((await bed.records(box.name)).slice(before));
    // A false positive that froze it must not fail every row after it too.
    if ((await bed.status(box.name)) === 'Frozen')
      await (await bed.incus.instances.unfreeze(box.name)).wait();
    expect(alerts).toEqual([]);
  });

  it('left the container running with nothing above info after a last full round', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(loud(await bed.records(box.name))).toEqual([]);
    expect(await bed.status(box.name)).toBe('Running');
  });
});
