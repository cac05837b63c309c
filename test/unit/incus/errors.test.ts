import { describe, expect, it } from 'vitest';
import {
  errorFromEnvelope,
  IncusAlreadyFrozenError,
  IncusConflictError,
  IncusError,
  IncusInstanceRunningError,
  IncusNotFoundError,
  IncusOperationError,
  IncusPreconditionFailedError,
  IncusUnsupportedError,
  IncusValidationError,
  withConfigKey,
} from '../../../src/incus/errors.js';
import type { OperationMetadata } from '../../../src/incus/types.js';

// Messages as Incus 6.0.4 sends them (captured from the live daemon).
const failedOp = (err: string): OperationMetadata<unknown> => ({
  id: 'x',
  class: 'task',
  description: 'Creating instance',
  created_at: '',
  updated_at: '',
  status: 'Failure',
  status_code: 400,
  resources: null,
  metadata: null,
  may_cancel: false,
  err,
  location: 'none',
});

describe('errorFromEnvelope', () => {
  it('maps status codes', () => {
    const notFound = 'Failed to fetch instance "nope" in project "default": Instance not found';
    expect(errorFromEnvelope(notFound, 404)).toBeInstanceOf(IncusNotFoundError);
    expect(errorFromEnvelope("ETag doesn't match: abc vs def", 412)).toBeInstanceOf(
      IncusPreconditionFailedError,
    );
    expect(errorFromEnvelope('Instance is running', 400)).toBeInstanceOf(IncusError);
  });

  it('names the config key of a validation error', () => {
    const err = errorFromEnvelope('Invalid config: Unknown configuration key: limits.bogus', 500);
    expect(err).toBeInstanceOf(IncusValidationError);
    expect((err as IncusValidationError).key).toBe('limits.bogus');
    expect(err.message).toContain('limits.bogus');
  });

  it('maps a duplicate name (an operation failure) to a conflict', () => {
    const msg =
      'Failed creating instance record: Add instance info to the database: Failed to create "instances" entry: UNIQUE constraint failed: instances.project_id, instances.name';
    expect(errorFromEnvelope(msg, 400, failedOp(msg))).toBeInstanceOf(IncusConflictError);
  });

  it('keeps the failed operation on other operation failures', () => {
    const err = errorFromEnvelope('Command not found', 400, failedOp('Command not found'));
    expect(err).toBeInstanceOf(IncusOperationError);
    expect((err as IncusOperationError).operation?.err).toBe('Command not found');
  });

  it('explains stateful snapshots', () => {
    const criu = errorFromEnvelope(
      "Unable to create a stateful snapshot. CRIU isn't installed",
      400,
      failedOp(''),
    );
    expect(criu).toBeInstanceOf(IncusUnsupportedError);
    expect(criu.message).toMatch(/stateless snapshot/);
    const flag = errorFromEnvelope(
      'Stateful snapshots require that the instance has migration.stateful be set to true',
      400,
      failedOp(''),
    );
    expect((flag as IncusValidationError).key).toBe('migration.stateful');
  });

  it('treats "Invalid <thing>:" refusals as validation and finds the key by its value', () => {
    const err = errorFromEnvelope(
      'Failed creating instance record: Invalid allowance: 150',
      400,
      failedOp(''),
    );
    expect(err).toBeInstanceOf(IncusValidationError);
    const located = withConfigKey(errorFromEnvelope('Invalid config: Invalid value: 1.5GB', 500), {
      'limits.cpu': '1',
      'limits.memory': '1.5GB',
    });
    expect((located as IncusValidationError).key).toBe('limits.memory');
    expect((located as Error).message).toBe(
      'invalid Incus configuration for "limits.memory": Invalid config: Invalid value: 1.5GB',
    );
    const ambiguous = errorFromEnvelope('Invalid config: Invalid value: 1', 500);
    expect(withConfigKey(ambiguous, { a: '1', b: '1' })).toBe(ambiguous);
  });

  it('maps an unknown image in a create operation to not found', () => {
    const msg = 'Image not provided for instance creation';
    expect(errorFromEnvelope(msg, 400, failedOp(msg))).toBeInstanceOf(IncusNotFoundError);
  });

  it('maps a freeze of a frozen container to IncusAlreadyFrozenError, keeping the operation', () => {
    const msg = 'The container is already frozen';
    const err = errorFromEnvelope(msg, 400, failedOp(msg));
    expect(err).toBeInstanceOf(IncusAlreadyFrozenError);
    expect(err).toBeInstanceOf(IncusOperationError);
    expect((err as IncusAlreadyFrozenError).operation?.err).toBe(msg);
    const notRunning = errorFromEnvelope(
      "The instance isn't running",
      400,
      failedOp("The instance isn't running"),
    );
    expect(notRunning).not.toBeInstanceOf(IncusAlreadyFrozenError);
  });

  it('maps a delete refused for a running instance to IncusInstanceRunningError', () => {
    expect(errorFromEnvelope('Instance is running', 400)).toBeInstanceOf(IncusInstanceRunningError);
    expect(errorFromEnvelope('Instance is frozen', 400)).not.toBeInstanceOf(
      IncusInstanceRunningError,
    );
  });
});
