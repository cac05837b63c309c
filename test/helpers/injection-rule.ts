import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installProxyCa } from '../../src/core/session/launch/credential-proxy.js';
import { Incus } from '../../src/incus/index.js';
import { createProxyCa } from '../../src/security/proxy/inject/ca.js';
import { injectionDir, writeInjectRules } from '../../src/security/proxy/inject/store.js';

/** The inject name of the proxy's tests and bench. */
export const INJECT_NAME = 'api.test';

/**
 * A running container's credential injection as a launch leaves it, under `work` (the coi dir):
 * the host token `token` in `work/token.json`, the container's CA, an `Authorization: Bearer`
 * rule for api.test reading that file, and the CA installed in the container's trust store.
 */
export async function equipInjection(work: string, container: string, token: string) {
  const tokenFile = join(work, 'token.json');
  writeFileSync(tokenFile, JSON.stringify({ oauth: { accessToken: token } }));
  const dir = injectionDir(work, container);
  await createProxyCa(dir, container);
  await writeInjectRules(dir, [
    {
      domain: INJECT_NAME,
      header: 'Authorization',
      source: { kind: 'file', path: tokenFile, pointer: '/oauth/accessToken' },
      format: 'Bearer {}',
    },
  ]);
  const api = Incus.local();
  await installProxyCa(api, work, container).finally(() => api.close());
}
