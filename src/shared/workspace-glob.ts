/**
 * Globs over paths relative to a workspace, as `[security] secret_paths` writes them: `*` and `?`
 * stay within one path segment, `**` spans segments, `[abc]`/`[!abc]` match one character. A
 * glob without `/` matches a name at any depth (`.env` also hides `api/.env`); one with `/` is
 * anchored at the workspace. `dir/**` matches the directory itself too, so it is hidden whole.
 */

/** Its message completes "expected …", as config errors put it. */
export class GlobSyntaxError extends Error {}

/** Why a glob is unusable, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob === '' || glob.startsWith('/') || glob.startsWith('~'))
    return 'a glob relative to the workspace';
  if (glob.split('/').includes('..')) return 'a glob inside the workspace, without ".."';
  try {
    compileGlob(glob);
    return undefined;
  } catch (err) {
    if (err instanceof GlobSyntaxError) return err.message;
    throw err;
  }
}

/** A matcher for workspace-relative paths written with `/`, without a leading `./`. */
export function compileGlob(glob: string): (rel: string) => boolean {
  const trimmed = glob.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const anchored = trimmed.includes('/');
  const body = translate(trimmed);
  const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
  return (rel) => regex.test(rel);
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const next = glob[i + 2];
      if (!atStart || (next !== undefined && next !== '/'))
        throw new GlobSyntaxError('a glob with "**" only as a whole path segment');
      if (next === '/') {
        out += '(?:[^/]*/)*'; // `**/x`: x at any depth below here
        i += 2;
      } else {
        // `dir/**`: the directory and everything below it; a lone `**`: everything.
        out = i === 0 ? '.*' : `${out.slice(0, -1)}(?:/.*)?`;
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) throw new GlobSyntaxError('a glob whose every "[" has its "]"');
      let set = glob.slice(i + 1, end);
      if (set.includes('/')) throw new GlobSyntaxError('a glob without "/" inside "[...]"');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      out += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}
