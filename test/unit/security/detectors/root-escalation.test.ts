import { describe, expect, it } from 'vitest';
import {
  classifyRootEscalation,
  type ChainLink,
} from '../../../../src/security/detectors/root-escalation.js';

const CODE = 1000;
const link = (pid: number, uid: number, euid: number, exe: string): ChainLink => ({
  pid,
  uid,
  euid,
  exe,
  command: exe,
});
const bash = link(10, CODE, CODE, '/usr/bin/bash');

describe('root escalation detector', () => {
  it('flags a root shell whose nearest non-root ancestor is the code user', () => {
    const alert = classifyRootEscalation(
      [link(12, 0, 0, '/usr/bin/sh'), link(11, 0, 0, '/tmp/exploit'), bash],
      CODE,
    );
    expect(alert).toMatchObject({
      level: 'high',
      category: 'process',
      title: 'Process privilege escalation to root detected',
      evidence: { process: { pid: 12, pattern: 'uid-to-root' } },
    });
  });

  it('flags a setuid binary outside the system directories run by the code user', () => {
    const chain = [link(11, CODE, 0, '/home/code/sudo'), bash];
    expect(classifyRootEscalation(chain, CODE)?.level).toBe('high');
  });

  it('lets sudo and su through, and what runs under them', () => {
    expect(classifyRootEscalation([link(11, CODE, 0, '/usr/bin/sudo'), bash], CODE)).toBe(
      undefined,
    );
    const underSudo = [link(12, 0, 0, '/usr/bin/make'), link(11, 0, 0, '/usr/bin/sudo'), bash];
    expect(classifyRootEscalation(underSudo, CODE)).toBe(undefined);
    const underSu = [link(12, 0, 0, '/bin/bash'), link(11, 0, 0, '/bin/su'), bash];
    expect(classifyRootEscalation(underSu, CODE)).toBe(undefined);
  });

  it('ignores processes root started, and non-root ones', () => {
    expect(classifyRootEscalation([link(5, 0, 0, '/usr/sbin/cron')], CODE)).toBe(undefined);
    const service = [link(6, 0, 0, '/usr/bin/sh'), link(5, 0, 0, '/usr/lib/systemd/systemd')];
    expect(classifyRootEscalation(service, CODE)).toBe(undefined);
    expect(classifyRootEscalation([bash], CODE)).toBe(undefined);
    const otherUser = [link(9, 0, 0, '/usr/bin/sh'), link(8, 33, 33, '/usr/sbin/apache2')];
    expect(classifyRootEscalation(otherUser, CODE)).toBe(undefined);
  });
});
