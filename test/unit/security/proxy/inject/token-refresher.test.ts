import {
  chmodSync,
  lstatSync,
  symlinkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OAuthRefresh } from '../../../../../src/security/proxy/inject/rules.js';
import {
  ATTEMPT_GAP_MS,
  TokenRefresher,
  type RefreshableFile,
  type RefreshOutcome,
} from '../../../../../src/security/proxy/inject/token-refresher.js';
import { selfSignedCert } from '../../../../helpers/proxy-bed.js';

/**
 * The refresher against a stand-in token endpoint on loopback (HTTPS with a test certificate the
 * refresher trusts as the daemon's tests do), renewing a Claude-shaped login file.
 */

const work = mkdtempSync(join(tmpdir(), 'coi-refresher-test-'));
const path = join(work, '.credentials.json');
const NOW = 1_900_000_000_000;
/** What the endpoint received, and how it answers next. */
const posts: { body: Record<string, unknown>; type?: string; agent?: string }[] = [];
let answer: { status: number; body: Record<string, unknown> } = { status: 200, body: {} };
/** Run while the endpoint answers (e.g. the host's own tool renewing the file meanwhile). */
let during: () => void = () => undefined;
let endpoint: Server;
let tokenUrl = '';
let ca = '';

const REFRESH: OAuthRefresh = {
  tokenUrl: 'https://platform.example/v1/oauth/token',
  clientId: 'client-1',
  refreshPointer: '/claudeAiOauth/refreshToken',
  expiresAtPointer: '/claudeAiOauth/expiresAt',
  userAgent: 'claude-cli/test',
};
const source: RefreshableFile = {
  kind: 'file',
  path,
  pointer: '/claudeAiOauth/accessToken',
  refresh: REFRESH,
};

function login(accessToken: string, expiresAt: number | undefined, refreshToken = 'RT-1') {
  return {
    claudeAiOauth: {
      accessToken,
      refreshToken,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      scopes: ['user:inference'],
      subscriptionType: 'max',
    },
    mcpOAuth: { other: 'kept' },
  };
}

function writeLogin(doc: unknown): void {
  writeFileSync(path, JSON.stringify(doc, null, 2));
  chmodSync(path, 0o600);
}

const readLogin = () => JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof login>;

function refresher(now = () => NOW, url = tokenUrl): TokenRefresher {
  return new TokenRefresher({ now, tokenUrl: url, ca: [ca] });
}

beforeAll(async () => {
  const tls = await selfSignedCert(work, ['localhost']);
  ca = tls.cert;
  endpoint = createServer(tls, (req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      posts.push({
        body: JSON.parse(text) as Record<string, unknown>,
        type: req.headers['content-type'],
        agent: req.headers['user-agent'],
      });
      during();
      // Answered a little later, so that concurrent requests really overlap the refresh.
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }, 50);
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  tokenUrl = `https://localhost:${(endpoint.address() as AddressInfo).port}/v1/oauth/token`;
}, 30_000);

afterAll(() => {
  endpoint?.close();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  posts.length = 0;
  during = () => undefined;
  answer = {
    status: 200,
    body: { access_token: 'AT-NEW', refresh_token: 'RT-NEW', expires_in: 28_800 },
  };
});

describe('TokenRefresher', () => {
  it('renews an expired login once for 5 concurrent requests, rewriting the file atomically', async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    const inode = statSync(path).ino;
    const outcomes: RefreshOutcome[] = [];
    const r = refresher();
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => r.token(source, (o) => outcomes.push(o))),
    );
    expect(tokens).toEqual(Array(5).fill('AT-NEW'));
    expect(posts).toEqual([
      {
        body: { grant_type: 'refresh_token', refresh_token: 'RT-1', client_id: 'client-1' },
        type: 'application/json',
        agent: 'claude-cli/test',
      },
    ]);
    expect(outcomes).toEqual([{ ok: true }]);
    expect(readLogin()).toEqual({
      claudeAiOauth: {
        accessToken: 'AT-NEW',
        refreshToken: 'RT-NEW',
        expiresAt: NOW + 28_800_000,
        scopes: ['user:inference'],
        subscriptionType: 'max',
      },
      mcpOAuth: { other: 'kept' },
    });
    // A new file renamed over the old one, with its mode; no temp file left behind.
    expect(statSync(path).ino).not.toBe(inode);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(work).filter((f) => f.includes('.coi-'))).toEqual([]);
  });

  it('keeps a symlinked login file a symlink, replacing the file it points to', async () => {
    const real = join(work, 'dotfiles-login.json');
    writeFileSync(real, JSON.stringify(login('AT-OLD', NOW - 1000)));
    chmodSync(real, 0o600);
    rmSync(path, { force: true });
    symlinkSync(real, path);
    expect(await refresher().token(source)).toBe('AT-NEW');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readLogin().claudeAiOauth.accessToken).toBe('AT-NEW');
    rmSync(path);
  });

  it('renews within the margin before expiry, and leaves a login further off alone', async () => {
    writeLogin(login('AT-SOON', NOW + 4 * 60_000));
    expect(await refresher().token(source)).toBe('AT-NEW');
    writeLogin(login('AT-LATER', NOW + 6 * 60_000));
    expect(await refresher().token(source)).toBe('AT-LATER');
    writeLogin(login('AT-UNKNOWN', undefined));
    expect(await refresher().token(source)).toBe('AT-UNKNOWN');
    expect(posts).toHaveLength(1);
  });

  it('endpoint down: a failure reported, the old token used, the file untouched, asked again later', async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    const before = readFileSync(path, 'utf8');
    let now = NOW;
    const closed = `https://localhost:1/v1/oauth/token`;
    const r = refresher(() => now, closed);
    const outcomes: RefreshOutcome[] = [];
    expect(await r.token(source, (o) => outcomes.push(o))).toBe('AT-OLD');
    expect(outcomes).toEqual([{ ok: false, reason: expect.stringContaining('localhost:1') }]);
    expect(readFileSync(path, 'utf8')).toBe(before);
    // Not asked again per request while it is down.
    expect(await r.token(source, (o) => outcomes.push(o))).toBe('AT-OLD');
    expect(outcomes).toHaveLength(1);
    now += ATTEMPT_GAP_MS;
    await r.token(source, (o) => outcomes.push(o));
    expect(outcomes).toHaveLength(2);
  });

  it('a refused refresh names the status and OAuth error, never a token', async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    answer = { status: 400, body: { error: 'invalid_grant', error_description: 'RT-1 is spent' } };
    const outcomes: RefreshOutcome[] = [];
    expect(await refresher().token(source, (o) => outcomes.push(o))).toBe('AT-OLD');
    expect(outcomes).toEqual([
      { ok: false, reason: 'localhost:' + port() + ' answered HTTP 400 (invalid_grant)' },
    ]);
    expect(JSON.stringify(outcomes)).not.toContain('RT-1');
    expect(readLogin().claudeAiOauth.accessToken).toBe('AT-OLD');
  });

  it('a token the server refused (401) is renewed before its next use, once', async () => {
    writeLogin(login('AT-REVOKED', NOW + 3_600_000));
    let now = NOW;
    const r = refresher(() => now);
    r.rejectedToken(source, 'AT-REVOKED');
    expect(await r.token(source)).toBe('AT-NEW');
    expect(await r.token(source)).toBe('AT-NEW');
    expect(posts).toHaveLength(1);
    // The renewed one refused too: not renewed again at once.
    r.rejectedToken(source, 'AT-NEW');
    expect(await r.token(source)).toBe('AT-NEW');
    expect(posts).toHaveLength(1);
    now += ATTEMPT_GAP_MS;
    answer.body = { access_token: 'AT-THIRD', expires_in: 60 * 60 };
    expect(await r.token(source)).toBe('AT-THIRD');
    // No refresh_token in the answer: the one the file has is kept.
    expect(readLogin().claudeAiOauth.refreshToken).toBe('RT-NEW');
    // A 401 for a token the file no longer holds asks for nothing.
    r.rejectedToken(source, 'AT-OLDER');
    now += ATTEMPT_GAP_MS;
    expect(await r.token(source)).toBe('AT-THIRD');
    expect(posts).toHaveLength(2);
  });

  it('a renewal the file cannot take is used from memory, renewed with its own refresh token, and written once the file can take it', async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    const before = readFileSync(path, 'utf8');
    let now = NOW;
    const r = refresher(() => now);
    const outcomes: RefreshOutcome[] = [];
    // root ignores file modes; an immutable directory refuses the temp file and the rename.
    execFileSync('chattr', ['+i', work]);
    try {
      expect(await r.token(source, (o) => outcomes.push(o))).toBe('AT-NEW');
      expect(outcomes).toEqual([
        { ok: false, reason: expect.stringContaining("kept in the proxy's memory") },
      ]);
      expect(outcomes[0]).toMatchObject({
        reason: expect.stringContaining('could not be written'),
      });
      expect(readFileSync(path, 'utf8')).toBe(before);
      // RT-1 may be spent: the next requests get the renewed login, nothing is asked again.
      expect(await r.token(source)).toBe('AT-NEW');
      expect(posts).toHaveLength(1);
      // When the renewed login nears its expiry, its own refresh token renews it.
      now += 28_800_000;
      answer.body = { access_token: 'AT-THIRD', refresh_token: 'RT-THIRD', expires_in: 28_800 };
      expect(await r.token(source, (o) => outcomes.push(o))).toBe('AT-THIRD');
      expect(posts.map((p) => p.body.refresh_token)).toEqual(['RT-1', 'RT-NEW']);
      expect(readFileSync(path, 'utf8')).toBe(before);
    } finally {
      execFileSync('chattr', ['-i', work]);
    }
    outcomes.length = 0;
    now += ATTEMPT_GAP_MS;
    expect(await r.token(source, (o) => outcomes.push(o))).toBe('AT-THIRD');
    expect(outcomes).toEqual([{ ok: true }]);
    expect(readLogin().claudeAiOauth).toMatchObject({
      accessToken: 'AT-THIRD',
      refreshToken: 'RT-THIRD',
      expiresAt: now - ATTEMPT_GAP_MS + 28_800_000,
    });
    expect(posts).toHaveLength(2);
  });

  it('drops a renewal kept in memory once the host tool renews the file itself', async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    const r = refresher();
    execFileSync('chattr', ['+i', work]);
    try {
      expect(await r.token(source)).toBe('AT-NEW');
    } finally {
      execFileSync('chattr', ['-i', work]);
    }
    writeLogin(login('AT-HOST', NOW + 3_600_000, 'RT-HOST'));
    expect(await r.token(source)).toBe('AT-HOST');
    expect(readLogin().claudeAiOauth.accessToken).toBe('AT-HOST');
  });

  it("keeps the host tool's own renewal made meanwhile instead of overwriting it", async () => {
    writeLogin(login('AT-OLD', NOW - 1000));
    during = () => writeLogin(login('AT-HOST', NOW + 3_600_000, 'RT-HOST'));
    expect(await refresher().token(source)).toBe('AT-HOST');
    expect(readLogin().claudeAiOauth).toMatchObject({
      accessToken: 'AT-HOST',
      refreshToken: 'RT-HOST',
    });
  });
});

function port(): number {
  return (endpoint.address() as AddressInfo).port;
}
