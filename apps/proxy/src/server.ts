// The hardened HTTP server: body limits, slow-client timeouts, errors in the caller's protocol, graceful drain.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createAuthenticator, type Gateway, modelCard, requestIdFrom } from '@gw/core';
import { GwError } from '@gw/errors';
import { answerClientError } from './client-error.ts';
import { errorBody, httpError } from './error-body.ts';
import { readBody } from './read-body.ts';
import { matchRoute, type Protocol, protocolOf, type Route } from './routes.ts';
import { writeGatewayResponse, writeJson } from './write-response.ts';

export interface ProxyServerOptions {
  /** Largest request body accepted, in bytes (default 10 MiB: a few large images). */
  bodyLimitBytes?: number;
  /** Time a client may take to send its headers (default 30 s). */
  headersTimeoutMs?: number;
  /** Time a client may take to send its whole request (default 60 s); responses are not bounded by it. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive client connection stays open (default 65 s, above common LB idle timeouts). */
  keepAliveTimeoutMs?: number;
  /** Allowed CORS origins; CORS is off when empty. */
  corsOrigins?: readonly string[];
  /** Called for unexpected errors; the client only ever sees a generic message. */
  onError?: (error: unknown, requestId: string) => void;
}

export interface ProxyServer {
  server: Server;
  /** Stops accepting, lets in-flight requests and streams finish until the deadline, then cuts the rest. */
  shutdown(deadlineMs: number): Promise<void>;
  inFlight(): number;
}

const defaults = {
  bodyLimitBytes: 10 * 1024 * 1024,
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
};

function sendError(
  response: ServerResponse,
  protocol: Protocol,
  error: unknown,
  headers: Record<string, string>,
) {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const formatted = errorBody(protocol, error);
  writeJson(response, formatted.status, headers, formatted.body);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Request body is not valid JSON: ${(error as Error).message}` };
  }
}

/** The path without the query; routes are fixed strings, so a full URL parse per request buys nothing. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const hash = path.indexOf('#');
  return hash === -1 ? path : path.slice(0, hash);
}

function bodyTooLarge(limit: number): GwError {
  const message = `Request body is larger than the limit of ${limit} bytes. Send a smaller request or raise gw_settings.body_limit.`;
  return httpError(413, 'GW_ERR_BODY_TOO_LARGE', message);
}

/** A client that hangs up is its own outcome (nginx's 499), not an upstream failure worth an error log. */
function clientClosed(): GwError {
  const error = new GwError({
    code: 'GW_ERR_CLIENT_CLOSED',
    message: 'The client closed the connection before the response was complete.',
    status: 499,
  });
  // The gateway reads a declared errorClass first; 'aborted' keeps it out of the upstream error classes.
  return Object.assign(error, { errorClass: 'aborted' });
}

const exposedHeaders = [
  'x-request-id',
  'x-gw-model-group',
  'x-gw-deployment',
  'x-gw-attempts',
  'x-gw-overhead-ms',
  'x-gw-cost',
  'retry-after',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
].join(', ');

function addCorsHeaders(
  headers: Record<string, string>,
  request: IncomingMessage,
  origins: readonly string[],
): void {
  const origin = request.headers.origin;
  if (origins.length === 0) return;
  const any = origins.includes('*');
  // The answer depends on the Origin header: a shared cache must not hand one origin's answer to another.
  if (!any) headers.vary = 'Origin';
  if (origin === undefined || (!any && !origins.includes(origin))) return;
  Object.assign(headers, {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-headers': 'authorization, x-api-key, content-type, anthropic-version, x-request-id',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // Every header gw documents, so browser code (and the SDKs' retry logic, which reads retry-after) sees them.
    'access-control-expose-headers': exposedHeaders,
  });
}

const connectionAbort = Symbol('gw.connectionAbort');

/**
 * The abort signal of a client connection: aborted when the connection closes, shared by the requests it carries
 * one after another. A signal costs a request about 2 µs and 2 KB in Node, more than everything else it needs to
 * notice a client going away; an HTTP/1.1 connection closing is that client going away (a response that ends
 * early destroys its socket too). Every listener a request adds is removed when it finishes.
 */
function connectionSignal(socket: Socket): AbortSignal {
  const holder = socket as Socket & { [connectionAbort]?: AbortController };
  let controller = holder[connectionAbort];
  if (controller === undefined) {
    const own = new AbortController();
    controller = own;
    holder[connectionAbort] = own;
    // A connection already gone will not emit 'close' again.
    if (socket.destroyed) own.abort(clientClosed());
    else socket.once('close', () => own.abort(clientClosed()));
  }
  return controller.signal;
}

/**
 * One model group as OpenAI's models.retrieve answers it, for a caller allowed to use it; any other id is a 404
 * that names no other group (a key limited to some groups learns nothing of the rest).
 */
function serveModel(
  gateway: Gateway,
  modelId: string,
  response: ServerResponse,
  headers: Record<string, string>,
  requestHeaders: IncomingMessage['headers'],
) {
  let groups: string[];
  try {
    // Authenticates the caller too: a missing or unknown key is a 401 here, as for the list.
    groups = gateway.modelGroups(requestHeaders);
  } catch (error) {
    sendError(response, 'openai', error, headers);
    return;
  }
  if (groups.includes(modelId)) {
    writeJson(response, 200, headers, modelCard(modelId));
    return;
  }
  const error = new GwError({
    code: 'GW_ERR_MODEL_NOT_FOUND',
    message: `The model '${modelId}' does not exist or this key may not use it; GET /v1/models lists the ones it may.`,
    status: 404,
    details: { param: 'model' },
  });
  sendError(response, 'openai', error, headers);
}

async function serveEndpoint(
  gateway: Gateway,
  route: Route & { kind: 'server' },
  response: ServerResponse,
  headers: Record<string, string>,
  requestHeaders: IncomingMessage['headers'],
) {
  switch (route.endpoint) {
    case 'model':
      serveModel(gateway, route.modelId ?? '', response, headers, requestHeaders);
      return;
    case 'liveliness':
      writeJson(response, 200, headers, { status: 'healthy' });
      return;
    case 'readiness': {
      const readiness = await gateway.readiness();
      writeJson(response, readiness.ready ? 200 : 503, headers, readiness);
      return;
    }
    case 'health':
      writeJson(response, 200, headers, await gateway.health());
      return;
    case 'metrics':
      writeJson(
        response,
        200,
        { ...headers, 'content-type': gateway.metricsContentType },
        await gateway.metrics(),
      );
      return;
  }
}

export function createProxyServer(gateway: Gateway, options: ProxyServerOptions = {}): ProxyServer {
  const settings = { ...defaults, ...options };
  const corsOrigins = options.corsOrigins ?? [];
  // Per-deployment health names every deployment: like LiteLLM, only callers with a key may see it.
  const authenticate = createAuthenticator(gateway.config);
  let active = 0;
  let closing = false;
  const idleWaiters = new Set<() => void>();

  async function handle(request: IncomingMessage, response: ServerResponse) {
    // One rule for the id the caller sees, the upstream gets and the logs carry: a caller's id only when sane.
    const requestId = requestIdFrom(request.headers);
    const baseHeaders: Record<string, string> = { 'x-request-id': requestId };
    addCorsHeaders(baseHeaders, request, corsOrigins);
    if (closing) baseHeaders.connection = 'close';
    const pathname = pathOf(request.url ?? '/');

    if (request.method === 'OPTIONS' && corsOrigins.length > 0) {
      // The official SDKs send their own headers (x-stainless-*, anthropic-dangerous-direct-browser-access,
      // openai-organization...): a preflight from an allowed origin allows the headers it asks for, or the
      // browser refuses the request.
      const asked = request.headers['access-control-request-headers'];
      if (asked !== undefined && baseHeaders['access-control-allow-origin'] !== undefined) {
        baseHeaders['access-control-allow-headers'] = asked;
        baseHeaders.vary =
          baseHeaders.vary === undefined
            ? 'Access-Control-Request-Headers'
            : `${baseHeaders.vary}, Access-Control-Request-Headers`;
      }
      response.writeHead(204, baseHeaders).end();
      return;
    }
    const match = matchRoute(request.method ?? 'GET', pathname);
    if (!match.found) {
      const error =
        match.status === 404
          ? httpError(
              404,
              'GW_ERR_ROUTE_NOT_FOUND',
              `No route for ${request.method} ${pathname}. Try POST /v1/chat/completions.`,
            )
          : httpError(
              405,
              'GW_ERR_METHOD_NOT_ALLOWED',
              `Method ${request.method} is not allowed on ${pathname}; use ${match.allow}.`,
            );
      const headers = match.allow ? { ...baseHeaders, allow: match.allow } : baseHeaders;
      sendError(response, match.protocol, error, headers);
      request.resume();
      return;
    }
    const route = match.route;
    if (route.kind === 'server') {
      request.resume();
      if (route.endpoint === 'health') {
        try {
          authenticate(request.headers);
        } catch (error) {
          sendError(response, route.protocol, error, baseHeaders);
          return;
        }
      }
      await serveEndpoint(gateway, route, response, baseHeaders, request.headers);
      return;
    }

    let body: unknown;
    if (route.method === 'POST') {
      const read = await readBody(request, settings.bodyLimitBytes);
      if (!read.ok) {
        if (read.reason === 'aborted') return;
        sendError(response, route.protocol, bodyTooLarge(read.limit), baseHeaders);
        // The rest of the body is read and dropped, the connection kept: closing it while the client still sends
        // resets the connection, and the client sees EPIPE or ECONNRESET instead of the 413. The request timeout
        // still bounds how long a client may keep sending.
        request.resume();
        return;
      }
      const parsed = parseJson(read.text);
      if (!parsed.ok) {
        // Looked at only when the body failed to parse: a compressed body is never JSON, and naming the coding
        // beats a parse error quoting compressed bytes.
        const encoding = request.headers['content-encoding']?.trim().toLowerCase();
        if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
          const message = `Content-Encoding '${encoding}' is not supported: send the request body uncompressed.`;
          sendError(response, route.protocol, httpError(415, 'GW_ERR_UNSUPPORTED_ENCODING', message), {
            ...baseHeaders,
            'accept-encoding': 'identity',
          });
          return;
        }
        sendError(
          response,
          route.protocol,
          httpError(400, 'GW_ERR_INVALID_JSON', parsed.message),
          baseHeaders,
        );
        return;
      }
      body = parsed.value;
    } else {
      request.resume();
    }

    // The client going away cancels the upstream call and releases what the request reserved.
    const signal = connectionSignal(request.socket);
    // The headers object is this request's own: hooks and the error path see the settled id in place, no copy.
    const headers = request.headers;
    headers['x-request-id'] = requestId;
    const result = await gateway.handle({ operation: route.operation, headers, body, signal, requestId });
    const writing = writeGatewayResponse(response, result, baseHeaders);
    if (writing !== undefined) await writing;
  }

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      maxHeaderSize: 32 * 1024,
    },
    (request, response) => {
      active++;
      response.on('close', () => {
        active--;
        if (active === 0) for (const wake of idleWaiters) wake();
      });
      handle(request, response).catch((error: unknown) => {
        const requestId = String(response.getHeader('x-request-id') ?? request.headers['x-request-id'] ?? '');
        options.onError?.(error, requestId);
        const protocol = protocolOf(request.url ?? '/');
        // formatOpenAIError/formatAnthropicError turn an unknown error into a generic 500 without internals.
        sendError(response, protocol, error, { 'x-request-id': requestId });
      });
    },
  );

  server.on('clientError', answerClientError);
  // A client that asks before uploading (`Expect: 100-continue`) hears of a body over the limit before it sends
  // it; Node's default answers 100 Continue to every such request, and the upload would be read and dropped.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (Number(request.headers['content-length']) > settings.bodyLimitBytes) {
      const headers = { 'x-request-id': requestIdFrom(request.headers), connection: 'close' };
      sendError(
        response,
        protocolOf(pathOf(request.url ?? '/')),
        bodyTooLarge(settings.bodyLimitBytes),
        headers,
      );
      return;
    }
    response.writeContinue();
    server.emit('request', request, response);
  });

  function waitForIdle(deadlineMs: number): Promise<void> {
    if (active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, deadlineMs);
      function done() {
        clearTimeout(timer);
        idleWaiters.delete(done);
        resolve();
      }
      idleWaiters.add(done);
    });
  }

  return {
    server,
    inFlight: () => active,
    async shutdown(deadlineMs: number) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await waitForIdle(deadlineMs);
      server.closeAllConnections();
      await closed;
    },
  };
}
