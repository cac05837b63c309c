import { posix } from 'node:path';
import { isSystemProgram } from './system-program.js';
import { TITLES, type Alert, type AlertCategory, type AlertLevel } from '../alert.js';

/**
 * Reads and writes of the container's account, privilege and persistence files, at the Go coi's
 * levels, except that reading /etc/shadow or /etc/gshadow is a warning (the code user has sudo by
 * design, and sudo reads /etc/shadow: its exec can be gone before the event is read, and a pause
 * for every `sudo` would be the worst false positive); reading root's SSH private keys is high; writing
 * /etc/shadow, sudoers or root's authorized_keys is critical; passwd, gshadow, crontabs, the code
 * user's authorized_keys and root's shell start-up files are high. What the system's account
 * programs do (sudo checking the account in /etc/shadow, useradd during a package install) is
 * taken down to info for a read and warning for a write: inotify does not say who opened the
 * file, so "one of them runs or started moments ago" is the evidence; for a write, one of the
 * programs that write them (usermod, not sudo).
 */

export type FileAccess = 'read' | 'write';

interface Rule {
  match: (path: string, home: string) => boolean;
  read?: AlertLevel;
  write: AlertLevel;
  category: AlertCategory;
  /** Whether account programs touch it in normal operation. */
  accountFile?: boolean;
}

const exactly =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const inside = (dir: string) => (path: string) => posix.dirname(path) === dir;

const RULES: readonly Rule[] = [
  {
    match: exactly('/etc/shadow'),
    read: 'warning',
    write: 'critical',
    category: 'credential_access',
    accountFile: true,
  },
  {
    match: exactly('/etc/gshadow'),
    read: 'warning',
    write: 'high',
    category: 'credential_access',
    accountFile: true,
  },
  {
    match: exactly(...['rsa', 'ecdsa', 'ed25519', 'dsa'].map((k) => `/root/.ssh/id_${k}`)),
    read: 'high',
    write: 'high',
    category: 'credential_access',
  },
  { match: exactly('/etc/passwd'), write: 'high', category: 'persistence', accountFile: true },
  {
    match: (p) => p === '/etc/sudoers' || inside('/etc/sudoers.d')(p),
    write: 'critical',
    category: 'persistence',
  },
  { match: exactly('/root/.ssh/authorized_keys'), write: 'critical', category: 'persistence' },
  {
    match: (p, home) => p === `${home}/.ssh/authorized_keys`,
    write: 'high',
    category: 'persistence',
  },
  {
    match: (p) =>
      p === '/etc/crontab' || inside('/etc/cron.d')(p) || inside('/var/spool/cron/crontabs')(p),
    write: 'high',
    category: 'persistence',
  },
  {
    match: exactly('/root/.bashrc', '/root/.profile', '/root/.bash_profile'),
    write: 'high',
    category: 'persistence',
  },
];

/** The directories whose entries the rules judge (what a watcher watches). */
export function sensitiveDirectories(home: string): string[] {
  return [
    '/etc',
    '/etc/sudoers.d',
    '/etc/cron.d',
    '/var/spool/cron/crontabs',
    '/root',
    '/root/.ssh',
    `${home}/.ssh`,
  ];
}

/** A POSIX ERE over paths under `root` that the rules may judge (the watcher's --include). */
export function sensitivePathPattern(root: string, home: string): string {
  const esc = (s: string) => s.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
  const names = [
    'etc/(shadow|gshadow|passwd|sudoers|crontab)',
    'etc/(sudoers\\.d|cron\\.d)/[^/]+',
    'var/spool/cron/crontabs/[^/]+',
    'root/(\\.bashrc|\\.profile|\\.bash_profile)',
    'root/\\.ssh/(authorized_keys|id_(rsa|ecdsa|ed25519|dsa))',
    `${esc(home.slice(1))}/\\.ssh/authorized_keys`,
  ];
  return `^${esc(root)}/(${names.join('|')})$`;
}

/** Programs that read the account files to authenticate or switch users, and never write them. */
const ACCOUNT_READERS = [
  'sudo',
  'sudoedit',
  'su',
  'runuser',
  'login',
  'sshd',
  'cron',
  'unix_chkpwd',
  'newgrp',
  'sg',
];

/** Programs that rewrite the account files by design. */
const ACCOUNT_WRITERS = new Set([
  'passwd',
  'chage',
  'chpasswd',
  'chsh',
  'chfn',
  'gpasswd',
  'useradd',
  'usermod',
  'userdel',
  'groupadd',
  'groupmod',
  'groupdel',
  'adduser',
  'addgroup',
  'deluser',
  'delgroup',
  'newusers',
  'systemd-sysusers',
]);

const ACCOUNT_PROGRAMS = new Set([...ACCOUNT_READERS, ...ACCOUNT_WRITERS]);

/**
 * A program of the base system that reads (any of them) or rewrites (the writers only) the
 * account files by design. `sudo` is a reader: a write under a running `sudo sh -c …` is not
 * routine.
 */
export function isAccountProgram(exe: string, access: FileAccess = 'read'): boolean {
  return isSystemProgram(exe, access === 'write' ? ACCOUNT_WRITERS : ACCOUNT_PROGRAMS);
}

/** Whether a command line's first word names one (cheap: no look at its binary). */
export function namesAccountProgram(argv0: string, access: FileAccess = 'read'): boolean {
  const name = argv0.slice(argv0.lastIndexOf('/') + 1);
  return (access === 'write' ? ACCOUNT_WRITERS : ACCOUNT_PROGRAMS).has(name);
}

/** inotify event names that mean the file's content changed or was replaced. */
const WRITE_EVENTS = /\b(MODIFY|CLOSE_WRITE|MOVED_TO|CREATE)\b/;

export function accessOf(events: string): FileAccess {
  return WRITE_EVENTS.test(events) ? 'write' : 'read';
}

export function classifySensitiveAccess(
  path: string,
  events: string,
  home: string,
  /** Whether an account program explains this access (see isAccountProgram). */
  accountProgramRunning: (access: FileAccess) => boolean,
): Alert | undefined {
  const rule = RULES.find((r) => r.match(path, home));
  if (!rule) return undefined;
  const access = accessOf(events);
  let level = access === 'write' ? rule.write : rule.read;
  if (!level) return undefined;
  const routine = rule.accountFile === true && accountProgramRunning(access);
  if (routine) level = access === 'write' ? 'warning' : 'info';
  return {
    level,
    category: rule.category,
    title: access === 'write' ? TITLES.sensitiveWrite : TITLES.sensitiveRead,
    description:
      `Something in the container ${access === 'write' ? 'changed' : 'read'} ${path}` +
      (routine ? ' while an account program (sudo, su, useradd, …) ran' : ''),
    evidence: { sensitive_file: { path, access: events } },
  };
}
