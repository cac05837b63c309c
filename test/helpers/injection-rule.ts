import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installProxyCa } from '../../src/core/session/launch/credential-proxy.js';
import { Incus } from '../../src/incus/index.js';
import { createProxyCa } from '../../src/security/proxy/inject/ca.js';
import type { InjectRule, OAuthRefresh } from '../../src/security/proxy/inject/rules.js';
import { injectionDir, writeInjectRules } from '../../src/security/proxy/inject/store.js';

/** The inject name of the proxy's tests and bench. */
export const INJECT_NAME = 'api.test';

/**
 * How a renewable rule renews the token file: never at its own endpoint (no such name), at the
 * stand-in the test gives the proxy (`loginTokenUrl`).
 */
const TEST_LOGIN_REFRESH: OAuthRefresh = {
  tokenUrl: 'https://login.invalid/v1/oauth/token',
  clientId: 'coi-test-client',
  refreshPointer: '/oauth/refreshToken',
  expiresAtPointer: '/oauth/expiresAt',
};

/**
 * A running container's credential injection as a launch leaves it, under `work` (the coi dir):
 * the host token `token` in `work/token.json`, the container's CA, its rules (default: an
 * `Authorization: Bearer` rule for api.test reading that file; `renewable`: an OAuth login,
 * TEST_LOGIN_REFRESH), and the CA installed in the container's trust store.
 */
export async function equipInjection(
  work: string,
  container: string,
  token: string,
  opts: { renewable?: boolean; rules?: InjectRule[] } = {},
) {
  const tokenFile = join(work, 'token.json');
  writeFileSync(tokenFile, JSON.stringify({ oauth: { accessToken: token } }));
  const dir = injectionDir(work, container);
  await createProxyCa(dir, container);
  await writeInjectRules(
    dir,
    opts.rules ?? [
      {
        domain: INJECT_NAME,
        header: 'Authorization',
        source: {
          kind: 'file',
          path: tokenFile,
          pointer: '/oauth/accessToken',
          ...(opts.renewable ? { refresh: TEST_LOGIN_REFRESH } : {}),
        },
        format: 'Bearer {}',
      },
    ],
  );
  const api = Incus.local();
  await installProxyCa(api, work, container).finally(() => api.close());
}
