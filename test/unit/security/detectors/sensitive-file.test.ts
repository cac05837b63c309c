import { describe, expect, it } from 'vitest';
import {
  classifySensitiveAccess,
  isAccountProgram,
  namesAccountProgram,
  sensitivePathPattern,
} from '../../../../src/security/detectors/sensitive-file.js';

const HOME = '/home/code';
const none = () => false;

describe('sensitive file detector', () => {
  it('rates reads and writes at the Go coi levels (an account-file read: a warning)', () => {
    const level = (path: string, events: string) =>
      classifySensitiveAccess(path, events, HOME, none)?.level;
    expect(level('/etc/shadow', 'ACCESS')).toBe('warning');
    expect(level('/etc/shadow', 'MODIFY')).toBe('critical');
    expect(level('/etc/shadow', 'MOVED_TO')).toBe('critical');
    expect(level('/etc/sudoers.d/evil', 'CREATE')).toBe('critical');
    expect(level('/root/.ssh/authorized_keys', 'CLOSE_WRITE,CLOSE')).toBe('critical');
    expect(level('/home/code/.ssh/authorized_keys', 'MODIFY')).toBe('high');
    expect(level('/var/spool/cron/crontabs/code', 'MOVED_TO')).toBe('high');
    expect(level('/etc/passwd', 'MODIFY')).toBe('high');
  });

  it('ignores reads of files every process reads (passwd, sudoers) and unlisted files', () => {
    expect(classifySensitiveAccess('/etc/passwd', 'ACCESS', HOME, none)).toBe(undefined);
    expect(classifySensitiveAccess('/etc/sudoers', 'ACCESS', HOME, none)).toBe(undefined);
    expect(classifySensitiveAccess('/etc/hosts', 'MODIFY', HOME, none)).toBe(undefined);
  });

  it('takes account-file access by a running account program down to info or warning', () => {
    const running = () => true;
    const read = classifySensitiveAccess('/etc/shadow', 'ACCESS', HOME, running);
    expect(read).toMatchObject({ level: 'info', title: 'Sensitive file read' });
    expect(classifySensitiveAccess('/etc/shadow', 'MODIFY', HOME, running)?.level).toBe('warning');
    // A program that only reads them (sudo) explains a read, not a write.
    const reader = (access: string) => access === 'read';
    expect(classifySensitiveAccess('/etc/shadow', 'ACCESS', HOME, reader)?.level).toBe('info');
    expect(classifySensitiveAccess('/etc/shadow', 'MOVED_TO', HOME, reader)?.level).toBe(
      'critical',
    );
    // Not an account file: sudoers is written by nothing routine.
    expect(classifySensitiveAccess('/etc/sudoers', 'MODIFY', HOME, running)?.level).toBe(
      'critical',
    );
  });

  it.each([
    ['/usr/bin/sudo', 'read', true],
    ['/usr/bin/sudo', 'write', false],
    ['/usr/sbin/useradd', 'read', true],
    ['/usr/sbin/usermod', 'write', true],
    ['/usr/bin/systemd-sysusers', 'write', true],
    ['/usr/sbin/unix_chkpwd', 'write', false],
    ['/tmp/sudo', 'read', false],
    ['/tmp/usermod', 'write', false],
  ] as const)('%s explains a %s of the account files: %s', (exe, access, expected) => {
    expect(isAccountProgram(exe, access)).toBe(expected);
  });

  it('includes exactly the judged paths in the watcher pattern', () => {
    const re = new RegExp(sensitivePathPattern('/proc/42/root', HOME));
    expect(re.test('/proc/42/root/etc/shadow')).toBe(true);
    expect(re.test('/proc/42/root/etc/sudoers.d/x')).toBe(true);
    expect(re.test('/proc/42/root/home/code/.ssh/authorized_keys')).toBe(true);
    expect(re.test('/proc/42/root/etc/ld.so.cache')).toBe(false);
    expect(re.test('/proc/42/root/etc/shadow-')).toBe(false);
  });
});

describe('namesAccountProgram', () => {
  it.each([
    ['sudo', true],
    ['/usr/bin/sudo', true],
    ['useradd', true],
    ['sudo-helper', false],
    ['bash', false],
    ['', false],
  ])('%s names an account program: %s', (argv0, expected) => {
    expect(namesAccountProgram(argv0)).toBe(expected);
  });

  it.each([
    ['usermod', true],
    ['/usr/sbin/groupmod', true],
    ['sudo', false],
    ['su', false],
  ])('%s names one that writes them: %s', (argv0, expected) => {
    expect(namesAccountProgram(argv0, 'write')).toBe(expected);
  });
});
