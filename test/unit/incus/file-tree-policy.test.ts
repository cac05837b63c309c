import { describe, expect, it } from 'vitest';
import {
  containedLinkTarget,
  isPlainRelativePath,
  parseFindListing,
  TreeListingError,
} from '../../../src/incus/file-tree-policy.js';

function listing(...records: Array<[string, string, string]>): Buffer {
  return Buffer.concat(
    records.map(([head, path, target]) =>
      Buffer.concat([
        Buffer.from(head),
        Buffer.from([0]),
        Buffer.from(path),
        Buffer.from([0]),
        Buffer.from(target),
        Buffer.from([0]),
      ]),
    ),
  );
}

describe('parseFindListing', () => {
  it('reads types, modes, owners, sizes, paths and link targets', () => {
    const { entries, undecodable } = parseFindListing(
      listing(
        ['d 755 0 0 4096', 'sub', ''],
        ['f 4755 1000 1000 3', 'sub/setuid', ''],
        ['l 777 0 0 11', 'out', '/etc/passwd'],
        ['p 644 0 0 0', 'fifo', ''],
        ['s 755 0 0 0', 'sock', ''],
        ['c 666 0 0 0', 'null', ''],
        ['D 644 0 0 0', 'door', ''],
      ),
    );
    expect(undecodable).toBe(0);
    expect(entries.map((e) => [e.path, e.kind])).toEqual([
      ['sub', 'directory'],
      ['sub/setuid', 'file'],
      ['out', 'symlink'],
      ['fifo', 'fifo'],
      ['sock', 'socket'],
      ['null', 'char device'],
      ['door', 'other'],
    ]);
    expect(entries[1]).toMatchObject({ mode: 0o4755, uid: 1000, gid: 1000, size: 3 });
    expect(entries[2]?.target).toBe('/etc/passwd');
  });

  it('keeps names with newlines and spaces intact', () => {
    const { entries } = parseFindListing(listing(['f 644 0 0 1', 'a b\nc', '']));
    expect(entries[0]?.path).toBe('a b\nc');
  });

  it('counts names that are not UTF-8 instead of mangling them', () => {
    const raw = Buffer.concat([
      Buffer.from('f 644 0 0 1\0'),
      Buffer.from([0xff, 0xfe, 0]),
      Buffer.from([0]),
    ]);
    expect(parseFindListing(raw)).toEqual({ entries: [], undecodable: 1 });
  });

  it('accepts an empty listing', () => {
    expect(parseFindListing(Buffer.alloc(0)).entries).toEqual([]);
  });

  it('rejects truncated or foreign output', () => {
    expect(() => parseFindListing(Buffer.from('f 644 0 0 1\0name'))).toThrow(TreeListingError);
    expect(() => parseFindListing(listing(['%y %m', 'x', '']))).toThrow(/GNU find/);
  });
});

describe('isPlainRelativePath', () => {
  it('accepts nested names', () => {
    expect(isPlainRelativePath('a/b/c.txt')).toBe(true);
    expect(isPlainRelativePath('..hidden')).toBe(true);
  });

  it('rejects absolute paths, dot segments and empty segments', () => {
    for (const bad of ['', '/etc', 'a/../b', '..', './a', 'a//b', 'a/']) {
      expect(isPlainRelativePath(bad), bad).toBe(false);
    }
  });
});

describe('containedLinkTarget', () => {
  const root = '/home/code/ws';

  it('keeps relative targets that stay inside', () => {
    expect(containedLinkTarget('link', 'file', root)).toBe('file');
    expect(containedLinkTarget('a/b/link', '../../top', root)).toBe('../../top');
    expect(containedLinkTarget('a/link', '..', root)).toBe('..');
    expect(containedLinkTarget('link', './x/./y', root)).toBe('x/y');
  });

  it('refuses relative targets that climb out', () => {
    expect(containedLinkTarget('link', '..', root)).toBeUndefined();
    expect(containedLinkTarget('a/link', '../../etc/passwd', root)).toBeUndefined();
  });

  it('refuses a .. after a name, which may itself be a symlink', () => {
    expect(containedLinkTarget('a/b/link', 'x/../y', root)).toBeUndefined();
  });

  it('rewrites absolute targets inside the tree to relative ones', () => {
    expect(containedLinkTarget('a/link', '/home/code/ws/b/f', root)).toBe('../b/f');
    expect(containedLinkTarget('link', '/home/code/ws', root)).toBe('.');
    expect(containedLinkTarget('link', '/home/code/ws/', `${root}/`)).toBe('.');
  });

  it('refuses absolute targets outside the tree or sneaking out with ..', () => {
    expect(containedLinkTarget('link', '/etc/passwd', root)).toBeUndefined();
    expect(containedLinkTarget('link', '/home/code/wsx/f', root)).toBeUndefined();
    expect(containedLinkTarget('link', '/home/code/ws/../../../etc', root)).toBeUndefined();
  });

  it('treats every absolute target as inside when the tree is /', () => {
    expect(containedLinkTarget('etc/link', '/usr/bin/env', '/')).toBe('../usr/bin/env');
  });

  it('refuses an empty target', () => {
    expect(containedLinkTarget('link', '', root)).toBeUndefined();
  });
});
