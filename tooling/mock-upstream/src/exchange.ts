// The state of one request while a handler answers it: parsed body, effective scenario, clock and abort signal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.ts';
import type { Dialect } from './recorded-request.ts';
import type { Scenario } from './scenario.ts';

export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  dialect: Dialect;
  path: string;
  query: URLSearchParams;
  /** The JSON body when it is an object, else an empty object (see `invalidJson`). */
  body: Record<string, unknown>;
  invalidJson: boolean;
  model: string | undefined;
  /** The merged scenario with faults dropped once past failFirst. */
  scenario: Scenario;
  clock: Clock;
  /** Aborts when the client goes away or the server closes. */
  signal: AbortSignal;
  requestId: string;
  nextId(prefix: string): string;
}

export function isStreaming(exchange: Exchange): boolean {
  return exchange.body.stream === true;
}

export function unixSeconds(exchange: Exchange): number {
  return Math.floor(exchange.clock.now() / 1000);
}
