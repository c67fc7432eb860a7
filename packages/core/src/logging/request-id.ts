// The request id: the caller's `x-request-id` when it is sane, else a fresh one, so logs and responses correlate.
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[\w.:-]{1,128}$/;

export function requestIdFrom(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const given = headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  // A client-chosen id is echoed in headers and logs: refuse anything that could inject lines or markup.
  if (value !== undefined && SAFE_ID.test(value)) return value;
  return randomUUID();
}
