// The fake upstream server: routes requests, records every attempt, applies scenarios, and closes without hanging.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answer } from './answer.ts';
import { type Clock, sleep, systemClock } from './clock.ts';
import type { Exchange } from './exchange.ts';
import { sendError } from './http-reply.ts';
import { preflight } from './preflight.ts';
import { fingerprintKey, presentedKey, type RecordedRequest, redactHeaders } from './recorded-request.ts';
import { matchRoute } from './routes.ts';
import {
  effectiveScenario,
  mergeScenarios,
  parseScenarioHeader,
  type Scenario,
  ScenarioHeaderError,
  scenarioHeader,
} from './scenario.ts';

export interface MockUpstreamOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Behaviour per model name (Azure: per deployment name). */
  models?: Record<string, Scenario>;
  /** Behaviour for every model, under the per-model and per-request scenarios. */
  defaults?: Scenario;
  clock?: Clock;
  /**
   * Keep only about this many newest entries in `requests` (older ones are dropped in batches) so long
   * benchmark runs do not grow without bound. Default: keep all.
   */
  maxRecordedRequests?: number;
}

export interface MockUpstream {
  /** e.g. `http://127.0.0.1:54321`, no trailing slash. */
  url: string;
  port: number;
  /** Every attempt in arrival order; reset() empties this same array. */
  requests: RecordedRequest[];
  /** Clears the request log and all attempt counters. */
  reset(): void;
  /** Replaces the scenario of one model and restarts its attempt counts. */
  setScenario(model: string, scenario: Scenario): void;
  /** Resolves once at least `count` requests have been recorded since start or the last reset(). */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Stops listening and destroys every open socket, silent and stalled ones included. */
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () =>
      resolve(
        parts.length === 1 ? (parts[0] as Buffer).toString('utf8') : Buffer.concat(parts).toString('utf8'),
      ),
    );
    request.on('error', reject);
    // A client that leaves mid-body would otherwise leave this request pending forever.
    request.on('close', () => {
      if (!request.complete) reject(new Error('client closed the connection before sending the whole body'));
    });
  });
}

function parseJson(text: string): { value: unknown; invalid: boolean } {
  if (text === '') return { value: undefined, invalid: false };
  try {
    return { value: JSON.parse(text), invalid: false };
  } catch {
    return { value: text, invalid: true };
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const clock = options.clock ?? systemClock;
  const models = new Map(Object.entries(options.models ?? {}));
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const inFlight = new Set<AbortController>();
  const waiters = new Set<{ count: number; resolve: (value: RecordedRequest[]) => void }>();
  const limit = options.maxRecordedRequests ?? Number.POSITIVE_INFINITY;
  let recordedTotal = 0;
  let sequence = 0;
  let closing = false;

  const nextId = (prefix: string): string => {
    sequence += 1;
    return `${prefix}mock${sequence.toString(36).padStart(20, '0')}`;
  };

  const record = (entry: RecordedRequest): void => {
    requests.push(entry);
    recordedTotal += 1;
    // Dropping in batches keeps trimming O(1) per request on average.
    if (requests.length >= 2 * limit) requests.splice(0, requests.length - limit);
    for (const waiter of waiters) {
      if (recordedTotal >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve(requests);
      }
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const controller = new AbortController();
    inFlight.add(controller);
    response.once('close', () => {
      // Only an unfinished answer has timers or a stream to stop; aborting costs a DOMException per call.
      if (!response.writableFinished) controller.abort();
      inFlight.delete(controller);
    });
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const parsed = parseJson(text);
    const body = asObject(parsed.value);
    const route = matchRoute(method, url.pathname, request.headers['anthropic-version'] !== undefined);
    const model = route?.deployment ?? (typeof body.model === 'string' ? body.model : undefined);

    let headerScenario: Scenario | undefined;
    let headerProblem: string | undefined;
    try {
      headerScenario = parseScenarioHeader(request.headers[scenarioHeader] as string | undefined);
    } catch (error) {
      if (!(error instanceof ScenarioHeaderError)) throw error;
      headerProblem = error.message;
    }
    const merged = mergeScenarios(
      options.defaults,
      model === undefined ? undefined : models.get(model),
      headerScenario,
    );
    const key = `${model ?? ''}\u0000${JSON.stringify(merged)}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);

    const credential = presentedKey(request.headers);
    const entry: RecordedRequest = {
      at: clock.now(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      dialect: route?.dialect ?? 'openai',
      stream: body.stream === true,
      headers: redactHeaders(request.headers),
      body: parsed.value,
      attempt,
    };
    if (model !== undefined) entry.model = model;
    if (credential !== undefined) entry.keyFingerprint = fingerprintKey(credential);
    record(entry);

    const scenario = effectiveScenario(merged, attempt);
    const exchange: Exchange = {
      request,
      response,
      dialect: entry.dialect,
      path: url.pathname,
      query: url.searchParams,
      body,
      invalidJson: parsed.invalid,
      model,
      scenario,
      clock,
      signal: controller.signal,
      requestId: nextId('req_'),
      nextId,
    };

    if (!(await sleep(clock, scenario.latencyMs ?? 0, controller.signal))) return;
    if (scenario.reset === true) {
      request.socket.resetAndDestroy();
      return;
    }
    if (scenario.silent === true) return;
    if (headerProblem !== undefined) {
      await sendError(exchange, { status: 400, errorMessage: headerProblem });
      return;
    }
    if (route === undefined) {
      await sendError(exchange, { status: 404, errorMessage: `Invalid URL (${method} ${url.pathname})` });
      return;
    }
    const rejected = preflight(exchange, route.endpoint);
    if (rejected !== undefined) {
      await sendError(exchange, rejected);
      return;
    }
    await answer(exchange, route, [...models.keys()]);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the mock must surface in the test that hit it, not hang it.
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`mock-upstream internal error: ${String(error)}`);
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    reset() {
      requests.length = 0;
      recordedTotal = 0;
      attempts.clear();
    },
    setScenario(model, scenario) {
      models.set(model, scenario);
      const prefix = `${model}\u0000`;
      for (const key of attempts.keys()) if (key.startsWith(prefix)) attempts.delete(key);
    },
    waitForRequests(count) {
      if (recordedTotal >= count) return Promise.resolve(requests);
      return new Promise((resolve) => waiters.add({ count, resolve }));
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const controller of inFlight) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
