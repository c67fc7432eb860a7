// Maps undici, socket, TLS and DNS failures to PoolError codes, using whether response headers had arrived.
import { PoolError, timeoutError } from './pool-error.ts';
import type { Timeouts } from './timeouts.ts';

export type RequestPhase = 'before-headers' | 'after-headers';

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

// Certificate-verification failures surface with OpenSSL's names rather than an ERR_TLS_ prefix.
const tlsCodes = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

const connectionLossCodes = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_INFO',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ENETRESET',
  // A kernel-level timeout on an established socket (TCP keep-alive); undici's connect timeout fires long before
  // the kernel's SYN timeout would.
  'ETIMEDOUT',
]);

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

function isTls(code: string): boolean {
  return (
    tlsCodes.has(code) ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_OSSL_')
  );
}

function isConnectionLoss(code: string): boolean {
  return connectionLossCodes.has(code) || code.startsWith('ERR_HTTP2_') || code.startsWith('HPE_');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function classifyError(
  error: unknown,
  origin: string,
  phase: RequestPhase,
  timeouts?: Readonly<Timeouts>,
): PoolError {
  if (error instanceof PoolError) return error;
  const code = errorCode(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return timeoutError('connect', origin, timeouts?.connectMs, error);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return timeoutError('headers', origin, timeouts?.headersMs, error);
    case 'UND_ERR_BODY_TIMEOUT':
      return timeoutError('idle', origin, timeouts?.idleMs, error);
    case 'ECONNREFUSED':
      return new PoolError({
        code: 'GW_ERR_POOL_CONNECTION_REFUSED',
        message: `connection refused by ${origin}: nothing listens there; check the origin's host and port`,
        origin,
        cause: error,
      });
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return new PoolError({
        code: 'GW_ERR_POOL_CLOSED',
        message: `the pool for ${origin} was closed while the request was in flight`,
        origin,
        cause: error,
      });
    case 'UND_ERR_ABORTED':
      return new PoolError({
        code: 'GW_ERR_POOL_ABORTED',
        message: `request to ${origin} was aborted`,
        origin,
        cause: error,
      });
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return new PoolError({
        code: 'GW_ERR_POOL_INVALID_REQUEST',
        message: `invalid request for ${origin}: ${describe(error)}`,
        origin,
        cause: error,
      });
  }
  if (dnsCodes.has(code)) {
    return new PoolError({
      code: 'GW_ERR_POOL_DNS',
      message: `could not resolve the host of ${origin} (${code}); check the origin's host name and DNS`,
      origin,
      cause: error,
    });
  }
  if (isTls(code)) {
    return new PoolError({
      code: 'GW_ERR_POOL_TLS',
      message: `TLS handshake with ${origin} failed (${code}): ${describe(error)}; check its certificate and ca settings`,
      origin,
      cause: error,
    });
  }
  if (phase === 'after-headers') {
    return new PoolError({
      code: 'GW_ERR_POOL_RESET_MID_BODY',
      message: `connection to ${origin} broke while reading the response body (${code || describe(error)}); the response is incomplete`,
      origin,
      cause: error,
    });
  }
  if (isConnectionLoss(code)) {
    return new PoolError({
      code: 'GW_ERR_POOL_RESET_BEFORE_HEADERS',
      message: `${origin} closed the connection before answering (${code}); safe to retry`,
      origin,
      cause: error,
    });
  }
  return new PoolError({
    code: 'GW_ERR_POOL_UPSTREAM',
    message: `request to ${origin} failed: ${describe(error)}`,
    origin,
    cause: error,
  });
}
