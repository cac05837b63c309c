import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idmappedMountpoint } from '../../../../src/core/session/launch/idmapped-workspace.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile } from '../../../helpers/coi-cli.js';

/**
 * Whoever owns the workspace, the agent can write it (`coi run` on real containers): a file the
 * code user makes is the owner's on the host, and the owner's 0644 file is writable inside.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[monitoring]
enabled = false
`;

let box: CoiSandbox;

sandboxForFile(CONFIG, (b) => (box = b));

describe('workspace owner and code user', () => {
  // 0: root on a VM or CI host; 1000: the image's code user; 4242: anyone else.
  for (const [owner, insideUid] of [
    [0, 1000],
    [1000, 1000],
    [4242, 4242],
  ] as const) {
    it(`a workspace owned by ${owner} is the code user's inside, both ways`, async () => {
      const ws = box.workspace(`owned-by-${owner}`, owner);
      const hostFile = join(ws, 'host-file');
      writeFileSync(hostFile, 'from the host\n', { mode: 0o644 });
      chownSync(hostFile, owner, owner);
      const r = await box.run(
        [
          'run',
          'id -un; id -u; echo from inside >> /workspace/host-file && touch /workspace/made && mkdir /workspace/dir',
        ],
        { cwd: ws },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`code\n${insideUid}\n`);
      expect(readFileSync(hostFile, 'utf8')).toBe('from the host\nfrom inside\n');
      for (const made of ['made', 'dir']) {
        const st = statSync(join(ws, made));
        expect([st.uid, st.gid]).toEqual([owner, owner]);
      }
      expect(statSync(hostFile).uid).toBe(owner);
      // The session is over: no idmapped mount of the workspace is left on the host.
      expect(existsSync(idmappedMountpoint(`${box.prefix}${workspaceHash(ws)}-1`))).toBe(false);
    });
  }
});
