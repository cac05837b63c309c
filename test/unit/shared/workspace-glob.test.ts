import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem } from '../../../src/shared/workspace-glob.js';

const matches = (glob: string, paths: string[]) => paths.filter(compileGlob(glob));

describe('workspace globs', () => {
  it('matches a glob without "/" at any depth, one segment at a time', () => {
    const paths = ['.env', 'api/.env', '.env.local', 'x.env', 'a/b/.env.prod', 'env'];
    expect(matches('.env', paths)).toEqual(['.env', 'api/.env']);
    expect(matches('.env.*', paths)).toEqual(['.env.local', 'a/b/.env.prod']);
    expect(matches('*.pem', ['k.pem', 'certs/k.pem', 'k.pem.bak', 'pem'])).toEqual([
      'k.pem',
      'certs/k.pem',
    ]);
    expect(matches('id_rs?', ['id_rsa', 'id_rs', 'ssh/id_rsb'])).toEqual(['id_rsa', 'ssh/id_rsb']);
  });

  it('anchors a glob with "/" at the workspace; "**" spans segments', () => {
    const paths = ['config/app.key', 'x/config/app.key', 'config/a/app.key'];
    expect(matches('config/*.key', paths)).toEqual(['config/app.key']);
    expect(matches('./config/*.key', paths)).toEqual(['config/app.key']);
    expect(matches('**/config/*.key', paths)).toEqual(['config/app.key', 'x/config/app.key']);
    expect(matches('config/**/app.key', paths)).toEqual(['config/app.key', 'config/a/app.key']);
  });

  it('"dir/**" takes the directory itself and everything below it, not its namesakes', () => {
    const paths = ['secrets', 'secrets/a', 'secrets/a/b', 'secretsx', 'x/secrets'];
    expect(matches('secrets/**', paths)).toEqual(['secrets', 'secrets/a', 'secrets/a/b']);
    expect(matches('**', paths)).toEqual(paths);
  });

  it('character classes, negated ones, and regex characters taken literally', () => {
    expect(matches('key[0-9].txt', ['key1.txt', 'keyx.txt'])).toEqual(['key1.txt']);
    expect(matches('key[!0-9].txt', ['key1.txt', 'keyx.txt'])).toEqual(['keyx.txt']);
    expect(matches('a+(b).txt', ['a+(b).txt', 'aab.txt'])).toEqual(['a+(b).txt']);
  });

  it('names what is wrong with a glob that escapes the workspace or does not parse', () => {
    expect(globProblem('.env')).toBeUndefined();
    expect(globProblem('secrets/**')).toBeUndefined();
    expect(globProblem('/etc/shadow')).toBe('a glob relative to the workspace');
    expect(globProblem('~/.ssh/id_rsa')).toBe('a glob relative to the workspace');
    expect(globProblem('')).toBe('a glob relative to the workspace');
    expect(globProblem('../x/.env')).toBe('a glob inside the workspace, without ".."');
    expect(globProblem('a/../../b')).toBe('a glob inside the workspace, without ".."');
    expect(globProblem('key[0-9')).toBe('a glob whose every "[" has its "]"');
    expect(globProblem('a**')).toBe('a glob with "**" only as a whole path segment');
    expect(globProblem('a[/]b')).toBe('a glob without "/" inside "[...]"');
  });
});
