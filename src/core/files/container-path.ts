import { CoiError } from '../../shared/errors.js';

/** `CONTAINER:PATH` as `coi file push/pull` take it. */
export interface ContainerPath {
  container: string;
  path: string;
}

export class FileCopyError extends CoiError {}

/** Splits `name:/abs/path`; anything else is a usage error. */
export function parseContainerPath(spec: string): ContainerPath {
  const colon = spec.indexOf(':');
  const container = colon > 0 ? spec.slice(0, colon) : '';
  const path = colon > 0 ? spec.slice(colon + 1) : '';
  if (!container || !path.startsWith('/')) {
    throw new FileCopyError(
      `expected CONTAINER:/absolute/path, got ${JSON.stringify(spec)} (e.g. coi-abc12345-1:/workspace/out.txt)`,
      'usage',
    );
  }
  return { container, path: path.length > 1 ? path.replace(/\/+$/, '') : path };
}
