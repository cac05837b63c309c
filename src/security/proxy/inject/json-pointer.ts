/** RFC 6901 JSON pointers (`/a/b~1c/0`) into a parsed document. */

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function child(node: unknown, key: string): unknown {
  if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
  return (node as Record<string, unknown>)[key];
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  return tokens(pointer).reduce(child, document);
}

/**
 * Sets the value at `pointer` in place; its parent must be an object already (a credentials
 * file keeps its shape). Returns false when it is not.
 */
export function setPointer(document: unknown, pointer: string, value: unknown): boolean {
  const path = tokens(pointer);
  const key = path.pop();
  const parent = path.reduce(child, document);
  if (key === undefined || parent === null || typeof parent !== 'object' || Array.isArray(parent))
    return false;
  (parent as Record<string, unknown>)[key] = value;
  return true;
}

/** The non-empty string at `pointer`; the error names `where` (a file) and the pointer. */
export function stringAt(document: unknown, pointer: string, where: string): string {
  const value = resolvePointer(document, pointer);
  if (typeof value !== 'string' || value === '')
    throw new Error(`${where} has no string at JSON pointer ${pointer}`);
  return value;
}
