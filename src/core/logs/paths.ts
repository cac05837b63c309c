import { join } from 'node:path';

/** A session's two logs, where the Go coi keeps them: `~/.coi/logs/<container>.{stdout,stderr}.log`. */
export interface SessionLogPaths {
  stdout: string;
  stderr: string;
}

const STDOUT_SUFFIX = '.stdout.log';
const STDERR_SUFFIX = '.stderr.log';

export function logsDir(coiDir: string): string {
  return join(coiDir, 'logs');
}

export function sessionLogPaths(coiDir: string, container: string): SessionLogPaths {
  const dir = logsDir(coiDir);
  return {
    stdout: join(dir, `${container}${STDOUT_SUFFIX}`),
    stderr: join(dir, `${container}${STDERR_SUFFIX}`),
  };
}

/** The container a file in the logs directory is the session log of, if it is one. */
export function containerOfLogFile(file: string): string | undefined {
  for (const suffix of [STDOUT_SUFFIX, STDERR_SUFFIX])
    if (file.endsWith(suffix) && file.length > suffix.length) return file.slice(0, -suffix.length);
  return undefined;
}
