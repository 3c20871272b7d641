/**
 * Honest completions for etcd RPC errors. An op that certainly did not take effect is `:fail`; one
 * that may have taken effect is `:info` (the checker must consider both). Seen against etcd 3.4:
 * with quorum lost a write gets DEADLINE_EXCEEDED at the client's deadline, or UNAVAILABLE
 * "etcdserver: request timed out" after ~7 s, and the proposal may still commit later — both `:info`.
 * Only errors raised before a request reaches the raft log are definite: the connection was never
 * established (ECONNREFUSED), etcd's "no leader" / "too many requests" interceptors, and the
 * argument / precondition errors. A read changes nothing, so a failed read is always `:fail`.
 */
import { status, type ServiceError } from '@grpc/grpc-js';

/** How an RPC error completes an op: `fail` or `info`, with a short `:error` name and the message. */
export interface ErrorVerdict {
  readonly type: 'fail' | 'info';
  /** Short keyword name for `:error`, e.g. `timeout`, `unavailable`, `no-leader`. */
  readonly error: string;
  readonly message: string;
}

/** Whether `e` is a gRPC error (it has a numeric `code`). */
export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof Error && typeof (e as Partial<ServiceError>).code === 'number';
}

const NEVER_CONNECTED = /No connection established|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH/;

/** Whether the request surely never reached the server (nothing to have happened). */
export function neverSent(e: ServiceError): boolean {
  return e.code === status.UNAVAILABLE && NEVER_CONNECTED.test(e.details ?? e.message);
}

/** Codes etcd raises before proposing anything (argument and precondition checks): `:fail`, with this `:error`. */
const DEFINITE: Partial<Record<status, string>> = {
  [status.FAILED_PRECONDITION]: 'failed-precondition',
  [status.INVALID_ARGUMENT]: 'invalid-argument',
  [status.NOT_FOUND]: 'not-found',
  [status.ALREADY_EXISTS]: 'already-exists',
  [status.PERMISSION_DENIED]: 'denied',
  [status.UNAUTHENTICATED]: 'denied',
  [status.RESOURCE_EXHAUSTED]: 'resource-exhausted',
  [status.OUT_OF_RANGE]: 'out-of-range',
};

/** The completion for an RPC that threw `e`; `read` ops (which change nothing) always fail. */
export function completionFor(e: unknown, read: boolean): ErrorVerdict {
  if (!isServiceError(e)) {
    const message = e instanceof Error ? e.message : String(e);
    return { type: read ? 'fail' : 'info', error: 'client-error', message };
  }
  // grpc-js appends an empty "Resolution note: " to connection errors; it says nothing.
  const details = (e.details ?? e.message).replace(/\.?\s*Resolution note:\s*$/, '');
  const c = (type: 'fail' | 'info', error: string): ErrorVerdict => ({ type: read ? 'fail' : type, error, message: details });
  // etcd checks the lease before proposing anything (a Lock or a Put on an expired lease).
  if (/requested lease not found/.test(details)) return c('fail', 'lease-not-found');
  switch (e.code) {
    case status.DEADLINE_EXCEEDED:
      return c('info', 'timeout');
    case status.UNAVAILABLE:
      if (neverSent(e)) return c('fail', 'connection-refused');
      if (/no leader/.test(details)) return c('fail', 'no-leader');
      if (/too many requests/.test(details)) return c('fail', 'too-many-requests');
      if (/request timed out/.test(details)) return c('info', 'timeout');
      if (/leader changed/.test(details)) return c('info', 'leader-changed');
      return c('info', 'unavailable');
    case status.CANCELLED:
      return c('info', 'cancelled');
    default: {
      const definite = DEFINITE[e.code];
      if (definite !== undefined) return c('fail', definite);
      return c('info', status[e.code]?.toLowerCase().replaceAll('_', '-') ?? `grpc-${e.code}`);
    }
  }
}
