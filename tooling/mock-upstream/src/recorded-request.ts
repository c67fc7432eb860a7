// One attempt as the mock saw it, with credentials redacted so logs and snapshots never hold secrets.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type Dialect = 'openai' | 'azure' | 'anthropic';

export interface RecordedRequest {
  /** clock.now() when the request body had been read. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  dialect: Dialect;
  /** body.model, or the Azure deployment name. */
  model?: string;
  stream: boolean;
  /** Lower-cased names; authorization, api-key and x-api-key are `[redacted]`. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** 1-based count of attempts for this model and scenario since start, reset() or setScenario(). */
  attempt: number;
  /** fingerprintKey() of the credential presented, to tell keys apart without storing them. */
  keyFingerprint?: string;
}

const secretHeaders = new Set(['authorization', 'api-key', 'x-api-key']);

export const redacted = '[redacted]';

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    result[name] = secretHeaders.has(name) ? redacted : text;
  }
  return result;
}

/** A short, stable, non-reversible tag of an API key: compare with `fingerprintKey('sk-test')`. */
export function fingerprintKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** The credential a request presents, in the order the providers read them. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'] ?? headers['api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1];
  }
  return undefined;
}
