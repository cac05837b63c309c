import { randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { basename, dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { resolvePointer, setPointer, stringAt } from './json-pointer.js';
import type { OAuthRefresh, SecretSource } from './rules.js';

/** A file source whose OAuth login coi renews on the host. */
export type RefreshableFile = Extract<SecretSource, { kind: 'file' }> & { refresh: OAuthRefresh };

/** What became of one refresh attempt (never a token). */
export type RefreshOutcome = { ok: true } | { ok: false; reason: string };

export interface TokenRefresherOptions {
  now?: () => number;
  /** Replaces every rule's endpoint: tests' stand-in only (the daemon never sets it). */
  tokenUrl?: string;
  /** CAs trusted for the endpoint besides the system's (tests only). */
  ca?: string[];
}

/** A token this close to its expiry is renewed before it is sent. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** At most one attempt per file in this time: an endpoint that is down is not asked per request. */
export const ATTEMPT_GAP_MS = 30_000;
const TIMEOUT_MS = 15_000;
/** An answer without `expires_in` is taken to last this long (renewed again within the hour). */
const FALLBACK_LIFETIME_S = 3600;
const MAX_ANSWER_BYTES = 64 * 1024;

interface Login {
  access: string;
  refreshToken: string | undefined;
  expiresAt: number | undefined;
}

interface Grant {
  accessToken: string;
  refreshToken: string | undefined;
  expiresInS: number;
}

/** A grant the login file could not take: `from` is the access token the file still holds. */
interface Unsaved {
  from: string;
  grant: Grant;
  obtainedAt: number;
  /** When writing it back was last tried. */
  tried: number;
}

const UNSAVED_NOTE = `the renewed login is kept in the proxy's memory and written again every ${ATTEMPT_GAP_MS / 1000} s; make the file writable, or log in again on the host if coi's daemon stops first`;

/**
 * Renews OAuth logins kept in host files before the egress proxy sends their access token: when
 * it expires within REFRESH_MARGIN_MS, or once after the server answered 401 to it. Requests for
 * one file are served in turn, so concurrent requests wait for one refresh and then read its
 * result. The new tokens are written back into the file (temp file + rename, its mode, every other
 * field kept) so the host's own tool goes on with them. A failed refresh leaves the file alone:
 * the caller sends the token it has. A grant the file cannot take is kept in memory (see `save`).
 */
export class TokenRefresher {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly attempted = new Map<string, number>();
  private readonly rejected = new Map<string, string>();
  private readonly unsaved = new Map<string, Unsaved>();
  private readonly now: () => number;

  constructor(private readonly opts: TokenRefresherOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** The access token to send; `report` hears of a refresh this call attempted. */
  token(source: RefreshableFile, report?: (outcome: RefreshOutcome) => void): Promise<string> {
    const previous = this.queues.get(source.path) ?? Promise.resolve();
    const next = previous.then(() => this.fresh(source, report));
    this.queues.set(
      source.path,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The server answered 401 to `token`: the next request renews it, if the file still holds it. */
  rejectedToken(source: RefreshableFile, token: string): void {
    this.rejected.set(source.path, token);
  }

  private async fresh(
    source: RefreshableFile,
    report?: (outcome: RefreshOutcome) => void,
  ): Promise<string> {
    const file = readLogin(source, await readFile(source.path, 'utf8'));
    const now = this.now();
    const login = (await this.unsavedLogin(source, file, now, report)) ?? file;
    const expiring = login.expiresAt !== undefined && login.expiresAt - now <= REFRESH_MARGIN_MS;
    const rejected = this.rejected.get(source.path) === login.access;
    const last = this.attempted.get(source.path);
    if (!(expiring || rejected) || (last !== undefined && now - last < ATTEMPT_GAP_MS))
      return login.access;
    this.attempted.set(source.path, now);
    this.rejected.delete(source.path);
    let grant: Grant;
    try {
      if (!login.refreshToken)
        throw new Error(`${source.path} has no refresh token at ${source.refresh.refreshPointer}`);
      grant = await this.post(source.refresh, login.refreshToken);
    } catch (err) {
      report?.({ ok: false, reason: (err as Error).message });
      return login.access;
    }
    grant.refreshToken ??= login.refreshToken;
    return this.save(source, file.access, grant, report);
  }

  /**
   * Writes the grant back; when that fails, the old refresh token may be spent already, so the
   * grant is kept here and used until the file takes it (tried again every ATTEMPT_GAP_MS) or the
   * host's tool renews the file itself.
   */
  private async save(
    source: RefreshableFile,
    fileAccess: string,
    grant: Grant,
    report?: (outcome: RefreshOutcome) => void,
  ): Promise<string> {
    const obtainedAt = this.now();
    try {
      const access = await writeBack(source, fileAccess, grant, obtainedAt);
      this.unsaved.delete(source.path);
      report?.({ ok: true });
      return access;
    } catch (err) {
      this.unsaved.set(source.path, { from: fileAccess, grant, obtainedAt, tried: obtainedAt });
      report?.({ ok: false, reason: `${(err as Error).message}; ${UNSAVED_NOTE}` });
      return grant.accessToken;
    }
  }

  /** The renewed login the file could not take, while the file still holds the one it replaced. */
  private async unsavedLogin(
    source: RefreshableFile,
    file: Login,
    now: number,
    report?: (outcome: RefreshOutcome) => void,
  ): Promise<Login | undefined> {
    const unsaved = this.unsaved.get(source.path);
    if (!unsaved) return undefined;
    if (file.access !== unsaved.from) {
      this.unsaved.delete(source.path);
      return undefined;
    }
    if (now - unsaved.tried >= ATTEMPT_GAP_MS) {
      unsaved.tried = now;
      try {
        await writeBack(source, unsaved.from, unsaved.grant, unsaved.obtainedAt);
        this.unsaved.delete(source.path);
        report?.({ ok: true });
      } catch (err) {
        report?.({ ok: false, reason: `${(err as Error).message}; ${UNSAVED_NOTE}` });
      }
    }
    return {
      access: unsaved.grant.accessToken,
      refreshToken: unsaved.grant.refreshToken,
      expiresAt: unsaved.obtainedAt + unsaved.grant.expiresInS * 1000,
    };
  }

  private post(refresh: OAuthRefresh, refreshToken: string): Promise<Grant> {
    const url = new URL(this.opts.tokenUrl ?? refresh.tokenUrl);
    const body = JSON.stringify({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: refresh.clientId,
    });
    const ca = this.opts.ca && { ca: [...rootCertificates, ...this.opts.ca] };
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(refresh.userAgent ? { 'user-agent': refresh.userAgent } : {}),
          },
          timeout: TIMEOUT_MS,
          agent: false,
          ...ca,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.length > MAX_ANSWER_BYTES) res.destroy(new Error('answer too large'));
          });
          res.on('error', (err) => reject(new Error(`${url.host}: ${err.message}`)));
          res.on('end', () => {
            try {
              resolve(grantOf(res.statusCode ?? 0, text));
            } catch (err) {
              reject(new Error(`${url.host} ${(err as Error).message}`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) => reject(new Error(`${url.host}: ${err.message}`)));
      req.end(body);
    });
  }
}

function readLogin(source: RefreshableFile, text: string): Login {
  const document = JSON.parse(text) as unknown;
  const access = stringAt(document, source.pointer, source.path);
  const refreshToken = resolvePointer(document, source.refresh.refreshPointer);
  const expiresAt = resolvePointer(document, source.refresh.expiresAtPointer);
  return {
    access,
    refreshToken:
      typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : undefined,
    expiresAt: typeof expiresAt === 'number' ? expiresAt : undefined,
  };
}

/** The token endpoint's answer; an error names its status and OAuth error code only. */
function grantOf(status: number, text: string): Grant {
  let answer: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') answer = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: only the status is told.
  }
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = answer;
  if (status < 200 || status >= 300) {
    const code = typeof answer.error === 'string' ? ` (${answer.error.slice(0, 60)})` : '';
    throw new Error(`answered HTTP ${status}${code}`);
  }
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new Error(`answered HTTP ${status} without an access_token`);
  return {
    accessToken,
    refreshToken:
      typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : undefined,
    expiresInS: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : FALLBACK_LIFETIME_S,
  };
}

/**
 * Writes the grant into the file, unless the host's tool renewed the login meanwhile (the file
 * no longer holds `from`): its tokens are then kept and used. Returns the access token to send.
 */
async function writeBack(
  source: RefreshableFile,
  from: string,
  grant: Grant,
  now: number,
): Promise<string> {
  const [text, { mode }] = await Promise.all([readFile(source.path, 'utf8'), stat(source.path)]);
  const current = readLogin(source, text);
  if (current.access !== from) return current.access;
  const document = JSON.parse(text) as unknown;
  const set = (pointer: string, value: unknown) => {
    if (!setPointer(document, pointer, value))
      throw new Error(`${source.path} has no object for JSON pointer ${pointer}`);
  };
  set(source.pointer, grant.accessToken);
  if (grant.refreshToken) set(source.refresh.refreshPointer, grant.refreshToken);
  set(source.refresh.expiresAtPointer, now + grant.expiresInS * 1000);
  // A symlinked file (dotfiles) stays a symlink: the file it points to is replaced.
  const target = await realpath(source.path);
  const temp = join(dirname(target), `.${basename(target)}.coi-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temp, JSON.stringify(document), { mode: mode & 0o777, flag: 'wx' });
    await chmod(temp, mode & 0o777);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw new Error(
      `the new token could not be written to ${source.path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return grant.accessToken;
}
