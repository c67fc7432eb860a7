// Writing responses: JSON bodies, provider error bodies, and the connection-level faults on plain JSON replies.
import { errorBody } from './error-bodies.ts';
import type { Exchange } from './exchange.ts';

/** The provider's request-id header plus the scenario's extra headers. */
export function commonHeaders(exchange: Exchange): Record<string, string> {
  const extra = exchange.scenario.headers ?? {};
  if (exchange.dialect === 'anthropic') return { 'request-id': exchange.requestId, ...extra };
  if (exchange.dialect === 'azure') {
    return { 'apim-request-id': exchange.requestId, 'x-request-id': exchange.requestId, ...extra };
  }
  return { 'x-request-id': exchange.requestId, ...extra };
}

/** Ends the connection right after the bytes already written, so the client sees a body cut short, not a clean end. */
export function cutConnection(exchange: Exchange): Promise<void> {
  const socket = exchange.request.socket;
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.end(() => {
      socket.destroy();
      resolve();
    });
  });
}

export async function sendJson(
  exchange: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const text = JSON.stringify(body);
  const { response, scenario } = exchange;
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...commonHeaders(exchange),
    ...headers,
  });
  const cut = scenario.cutAfterChunks !== undefined;
  const stall = scenario.stallAfterChunks !== undefined;
  if (status < 400 && (cut || stall)) {
    // Half the body, then break or go quiet: the JSON counterpart of a broken stream.
    response.write(text.slice(0, Math.floor(text.length / 2)));
    if (cut) await cutConnection(exchange);
    return;
  }
  response.end(text);
}

export interface ErrorReply {
  status: number;
  errorCode?: string;
  errorMessage?: string;
  retryAfter?: number;
  /** The model the message names, when it is not the request's (models.retrieve names the id in the path). */
  model?: string;
}

export function sendError(exchange: Exchange, reply: ErrorReply): Promise<void> {
  const headers: Record<string, string> = {};
  if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
  const spec = {
    ...reply,
    requestId: exchange.requestId,
    model: reply.model ?? exchange.model,
    apiVersion: exchange.query.get('api-version') ?? undefined,
  };
  const body = errorBody(exchange.dialect, spec);
  const text = JSON.stringify(body);
  exchange.response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...commonHeaders(exchange),
    ...headers,
  });
  exchange.response.end(text);
  return Promise.resolve();
}
