import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage: string;
};

export const COI_VERSION = `v${pkg.version}`;
export const COI_URL = pkg.homepage;
