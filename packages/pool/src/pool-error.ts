// The typed errors of @gw/pool: one stable code per failure kind, with retry safety for the router.
import { GwError } from '@gw/errors';

export type TimeoutKind = 'connect' | 'headers' | 'idle' | 'total';

export type PoolErrorCode =
  | 'GW_ERR_POOL_CONNECT_TIMEOUT'
  | 'GW_ERR_POOL_HEADERS_TIMEOUT'
  | 'GW_ERR_POOL_IDLE_TIMEOUT'
  | 'GW_ERR_POOL_TOTAL_TIMEOUT'
  | 'GW_ERR_POOL_CONNECTION_REFUSED'
  | 'GW_ERR_POOL_DNS'
  | 'GW_ERR_POOL_RESET_BEFORE_HEADERS'
  | 'GW_ERR_POOL_RESET_MID_BODY'
  | 'GW_ERR_POOL_TLS'
  | 'GW_ERR_POOL_FULL'
  | 'GW_ERR_POOL_ABORTED'
  | 'GW_ERR_POOL_CLOSED'
  | 'GW_ERR_POOL_INVALID_REQUEST'
  | 'GW_ERR_POOL_UPSTREAM';

export interface PoolErrorOptions {
  code: PoolErrorCode;
  message: string;
  origin: string;
  cause?: unknown;
  timeoutKind?: TimeoutKind;
}

interface CodeTraits {
  /** Safe to send again: the upstream cannot have acted on the request. */
  retryable: boolean;
  status: number;
}

// Retry safety follows what the upstream may have seen: nothing sent, or a reset before any response byte
// (the upstream closed without answering, which providers do on overload/redeploy), is safe; anything
// after the request was processed (timeouts waiting for an answer, a broken body) might double-bill.
const traits: Record<PoolErrorCode, CodeTraits> = {
  GW_ERR_POOL_CONNECT_TIMEOUT: { retryable: true, status: 504 },
  GW_ERR_POOL_HEADERS_TIMEOUT: { retryable: false, status: 504 },
  GW_ERR_POOL_IDLE_TIMEOUT: { retryable: false, status: 504 },
  GW_ERR_POOL_TOTAL_TIMEOUT: { retryable: false, status: 504 },
  GW_ERR_POOL_CONNECTION_REFUSED: { retryable: true, status: 502 },
  GW_ERR_POOL_DNS: { retryable: true, status: 502 },
  GW_ERR_POOL_RESET_BEFORE_HEADERS: { retryable: true, status: 502 },
  GW_ERR_POOL_RESET_MID_BODY: { retryable: false, status: 502 },
  GW_ERR_POOL_TLS: { retryable: false, status: 502 },
  GW_ERR_POOL_FULL: { retryable: true, status: 503 },
  GW_ERR_POOL_ABORTED: { retryable: false, status: 499 },
  GW_ERR_POOL_CLOSED: { retryable: true, status: 503 },
  GW_ERR_POOL_INVALID_REQUEST: { retryable: false, status: 500 },
  GW_ERR_POOL_UPSTREAM: { retryable: false, status: 502 },
};

export class PoolError extends GwError {
  declare readonly code: PoolErrorCode;
  /** Which deadline fired, for the four timeout codes. */
  readonly timeoutKind: TimeoutKind | undefined;
  /** The upstream origin the request was for. */
  readonly origin: string;

  constructor(options: PoolErrorOptions) {
    const trait = traits[options.code];
    super({
      code: options.code,
      message: options.message,
      cause: options.cause,
      isRetryable: trait.retryable,
      status: trait.status,
      details:
        options.timeoutKind === undefined
          ? { origin: options.origin }
          : { origin: options.origin, timeoutKind: options.timeoutKind },
    });
    this.name = 'PoolError';
    this.origin = options.origin;
    this.timeoutKind = options.timeoutKind;
  }
}

const timeoutCodes: Record<TimeoutKind, PoolErrorCode> = {
  connect: 'GW_ERR_POOL_CONNECT_TIMEOUT',
  headers: 'GW_ERR_POOL_HEADERS_TIMEOUT',
  idle: 'GW_ERR_POOL_IDLE_TIMEOUT',
  total: 'GW_ERR_POOL_TOTAL_TIMEOUT',
};

const timeoutAdvice: Record<TimeoutKind, string> = {
  connect:
    'the upstream did not accept a connection in time; check that it is reachable or raise timeouts.connectMs',
  headers:
    'the upstream sent no response headers in time; raise timeouts.headersMs for slow (non-streaming) generations',
  idle: 'the upstream stopped sending body bytes; raise timeouts.idleMs if it legitimately pauses this long',
  total: 'the whole request took too long; raise timeouts.totalMs or use stream: true for long generations',
};

export function timeoutError(
  kind: TimeoutKind,
  origin: string,
  ms: number | undefined,
  cause?: unknown,
): PoolError {
  const after = ms === undefined ? '' : ` after ${ms} ms`;
  return new PoolError({
    code: timeoutCodes[kind],
    message: `${kind} timeout${after} calling ${origin}: ${timeoutAdvice[kind]}`,
    origin,
    cause,
    timeoutKind: kind,
  });
}
