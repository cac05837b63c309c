/** JSON shapes of the Incus REST API that the client core itself reads (see shared/api in Incus). */

export type EnvelopeType = 'sync' | 'async' | 'error';

export interface Envelope<T = unknown> {
  type: EnvelopeType;
  status: string;
  status_code: number;
  operation: string;
  error_code: number;
  error: string;
  metadata: T;
}

export type OperationClass = 'task' | 'websocket' | 'token';

export interface OperationMetadata<M = Record<string, unknown> | null> {
  id: string;
  class: OperationClass;
  description: string;
  created_at: string;
  updated_at: string;
  status: string;
  status_code: number;
  resources: Record<string, string[]> | null;
  metadata: M;
  may_cancel: boolean;
  err: string;
  location: string;
}

/** Operation status codes at or above this are final (Success, Failure, Canceled). */
export const OPERATION_FINAL_STATUS = 200;
export const OPERATION_SUCCESS = 200;
