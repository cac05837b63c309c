import { describe, expect, it } from 'vitest';
import { SHELLS } from '../../../../src/security/detectors/command-patterns.js';
import { shellScript } from '../../../../src/security/detectors/shell-script.js';

describe('shellScript', () => {
  it('takes the script of sh -c, bash -lc and busybox sh -c, and nothing else', () => {
    expect(shellScript(['sh', '-c', 'grep -r API_KEY / ; true'])).toBe('grep -r API_KEY / ; true');
    expect(shellScript(['/bin/bash', '-lc', 'make test', 'name'])).toBe('make test');
    expect(shellScript(['python3', '-c', 'print(1)'])).toBeUndefined();
    expect(shellScript(['bash', 'script.sh', '-c'])).toBeUndefined();
    expect(shellScript([])).toBeUndefined();
  });

  it('reads busybox as the program it runs', () => {
    expect(shellScript(['busybox', 'sh', '-c', 'env | grep KEY'])).toBe('env | grep KEY');
    expect(shellScript(['/bin/busybox', 'ash', '-c', 'id'])).toBe('id');
    expect(shellScript(['busybox', 'grep', '-c', 'KEY', 'notes'])).toBeUndefined();
    expect(shellScript(['busybox'])).toBeUndefined();
  });

  it.each([...SHELLS])('knows %s -c as the shells the command-line detectors know', (shell) => {
    expect(shellScript([`/usr/bin/${shell}`, '-c', 'id'])).toBe('id');
  });
});
