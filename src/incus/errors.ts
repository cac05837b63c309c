import type { OperationMetadata } from './types.js';

/** Every failure the client reports is an IncusError; subclasses say which kind. */
export class IncusError extends Error {
  constructor(
    message: string,
    /** The envelope's `error_code` or the HTTP status, 0 when no answer came. */
    readonly code: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class IncusNotFoundError extends IncusError {}
export class IncusConflictError extends IncusError {}
export class IncusForbiddenError extends IncusError {}
export class IncusPreconditionFailedError extends IncusError {}

/** The daemon did not answer at all (socket missing, connection refused, TLS failure). */
export class IncusUnavailableError extends IncusError {
  constructor(
    readonly endpoint: string,
    /** What the connection attempt said (e.g. `ECONNREFUSED connect ECONNREFUSED …`). */
    readonly reason: string,
  ) {
    super(
      `Incus is not reachable at ${endpoint}: ${reason}. Is incusd running? ` +
        'Start it with `coi health --fix` (or your service manager: `systemctl start incus`).',
      0,
    );
  }
}

/** No remote of that name in the incus client config. */
export class IncusUnknownRemoteError extends IncusError {
  constructor(
    readonly remote: string,
    readonly known: string[],
  ) {
    super(
      `unknown Incus remote "${remote}" (known: ${known.join(', ')}); add it with \`incus remote add\``,
      0,
    );
  }
}

/** The TLS server is not the one whose certificate is pinned for the remote. */
export class IncusCertificateError extends IncusError {
  constructor(message: string) {
    super(message, 0);
  }
}

/** A config or device value Incus refused; `key` names it when the message does. */
export class IncusValidationError extends IncusError {
  constructor(
    message: string,
    code: number,
    readonly key: string | undefined,
  ) {
    super(key ? `invalid Incus configuration for "${key}": ${message}` : message, code);
  }
}

/** The host lacks what the request needs (e.g. CRIU for stateful snapshots); `hint` says what to do. */
export class IncusUnsupportedError extends IncusError {
  constructor(
    message: string,
    code: number,
    readonly hint: string,
  ) {
    super(`${message}. ${hint}`, code);
  }
}

/** A background operation that ended in failure, with whatever metadata could be recovered. */
export class IncusOperationError extends IncusError {
  constructor(
    message: string,
    code: number,
    readonly operation: OperationMetadata<unknown> | undefined,
  ) {
    super(message, code);
  }
}

/** A freeze found the container frozen already (by someone else, or by its cgroup directly). */
export class IncusAlreadyFrozenError extends IncusOperationError {}

/** The daemon refused to delete an instance that is running or frozen: stop it first. */
export class IncusInstanceRunningError extends IncusError {}

const validationPatterns: RegExp[] = [
  /require[s]? that the instance has ([\w.\-/]+) be set/i,
  /Unknown configuration key:\s*"?([\w.\-/]+)"?/i,
  /Invalid value for (?:device |config )?(?:option |key )?"?([\w.\-/]+)"?/i,
  /Invalid (?:config|device) option "?([\w.\-/]+)"?/i,
  /Failed validation of "?([\w.\-/]+)"?/i,
  /Invalid (?:config|devices|configuration).*?"([\w.\-/]+)"/i,
];

/** The daemon's words for a freeze of a frozen container (driver_lxc.go `Freeze`). */
const ALREADY_FROZEN = /already frozen/i;

/** The daemon's words for a delete of a running instance (instance_delete.go). */
const INSTANCE_RUNNING = /Instance is running/;

/** The daemon's words for a name that exists, or that another request is creating right now. */
const NAME_TAKEN = /UNIQUE constraint failed|already exists|busy running a "create" operation/i;

function validationKey(message: string): string | undefined {
  for (const pattern of validationPatterns) {
    const match = pattern.exec(message);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function looksLikeValidation(message: string): boolean {
  return /require[s]? that the instance has|\bInvalid [\w ]{1,40}:|Unknown configuration key|Failed validation|invalid .* option/i.test(
    message,
  );
}

/**
 * Some refusals name the value, not the key (`Invalid value: 1.5GB`); this finds the one key of
 * the request's config holding that value, so the error can still point at it.
 */
export function withConfigKey(err: unknown, config: Record<string, string> | undefined): unknown {
  if (!(err instanceof IncusValidationError) || err.key || !config) return err;
  const value = /:\s*([^:]+)$/.exec(err.message)?.[1]?.trim();
  const keys = Object.keys(config).filter((k) => config[k] === value);
  return keys.length === 1 ? new IncusValidationError(err.message, err.code, keys[0]) : err;
}

/** Maps an error envelope (or failed operation) to the matching typed error. */
export function errorFromEnvelope(
  message: string,
  code: number,
  operation?: OperationMetadata<unknown>,
): IncusError {
  if (/CRIU isn't installed|criu.*not found/i.test(message)) {
    return new IncusUnsupportedError(
      message,
      code,
      'Stateful snapshots and stops need CRIU on the Incus host, which is missing here: take a stateless snapshot instead',
    );
  }
  if (operation) {
    if (ALREADY_FROZEN.test(message)) {
      return new IncusAlreadyFrozenError(message, code, operation);
    }
    if (NAME_TAKEN.test(message)) {
      return new IncusConflictError(message, 409);
    }
    if (looksLikeValidation(message)) {
      return new IncusValidationError(message, code, validationKey(message));
    }
    if (/Image not provided for instance creation/.test(message)) {
      return new IncusNotFoundError(
        `${message}: no image with that alias or fingerprint on this daemon`,
        404,
      );
    }
    return new IncusOperationError(message, code, operation);
  }
  if (code === 404) return new IncusNotFoundError(message, code);
  if (code === 403) return new IncusForbiddenError(message, code);
  if (code === 412) return new IncusPreconditionFailedError(message, code);
  if (INSTANCE_RUNNING.test(message)) return new IncusInstanceRunningError(message, code);
  if (code === 409 || NAME_TAKEN.test(message)) {
    return new IncusConflictError(message, code);
  }
  if ((code === 400 || code === 500) && looksLikeValidation(message)) {
    return new IncusValidationError(message, code, validationKey(message));
  }
  return new IncusError(message, code);
}

/** The promised value, or undefined when Incus says the thing does not exist. */
export async function unlessNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof IncusNotFoundError) return undefined;
    throw err;
  }
}
