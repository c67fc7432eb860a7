// Bench child process: what the bench's gw configuration checks, written as one function on gw's own packages.
// It bounds what any Node gateway with these features can reach here, so gw's distance to the pass-through splits
// into what the features cost and what gw's composition costs. It is a measuring stick, not a gateway: no schema
// validation, retries, fallbacks, cooldowns, hooks, translation, metrics registry or logging.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { createUpstreamPool } from '@gw/pool';
import { createMemoryStore, type LimitSpec, rateLimitHeaders } from '@gw/ratelimit';
import { type ChatMessage, countMessages } from '@gw/tokens';
import { createParser } from 'eventsource-parser';
import { childArguments, serveChild } from './child-process.ts';

const values = childArguments({ key: 'sk-bench-virtual-key' });
const upstream = new URL(values.upstream ?? 'http://127.0.0.1:9100/v1');
const pool = createUpstreamPool();
const store = createMemoryStore();
const unlimited = 1e12;
// The bench's virtual key: requests and tokens per minute, and requests in flight.
const keySpecs: LimitSpec[] = [
  {
    name: 'key:rpm',
    key: 'bench',
    algorithm: 'sliding-window',
    limit: unlimited,
    windowMs: 60_000,
    unit: 'requests',
  },
  {
    name: 'key:tpm',
    key: 'bench',
    algorithm: 'sliding-window',
    limit: unlimited,
    windowMs: 60_000,
    unit: 'tokens',
  },
  {
    name: 'key:parallel',
    key: 'bench',
    algorithm: 'concurrency',
    limit: unlimited,
    windowMs: 600_000,
    unit: 'requests',
  },
];
const keys = new Map([[values.key, keySpecs]]);
const chatPath = `${upstream.pathname.replace(/\/$/, '')}/chat/completions`;
/** gpt-4o's list prices per token, as gw's cost header uses them. */
const inputPrice = 2.5e-6;
const outputPrice = 1e-5;
let reservations = 0;

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

function fail(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = request.headers['x-request-id'] ?? randomUUID();
  const text = await readBody(request);
  if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions'))
    return fail(response, 404, 'No route.');
  const authorization = request.headers.authorization;
  const specs = authorization?.startsWith('Bearer ') ? keys.get(authorization.slice(7)) : undefined;
  if (specs === undefined) return fail(response, 401, 'Invalid API key.');
  let body: { model?: unknown; messages?: unknown; max_tokens?: unknown; stream?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return fail(response, 400, 'Request body is not valid JSON.');
  }
  if (typeof body.model !== 'string' || !Array.isArray(body.messages))
    return fail(response, 400, 'Invalid body.');
  const promptTokens = countMessages(body.messages as ChatMessage[], body.model).tokens;
  const estimate = promptTokens + (typeof body.max_tokens === 'number' ? body.max_tokens : 256);
  const reservation = { id: `r${++reservations}`, ttlMs: 600_000 };
  const decision = store.decideNow({ specs, requests: 1, tokens: estimate, reservation });
  if (!decision.allowed) return fail(response, 429, 'Rate limit exceeded.');
  const settle = (usage: Usage | undefined) =>
    store.settleNow({
      specs,
      reservationId: reservation.id,
      requests: 1,
      tokens: estimate,
      actualTokens: usage?.total_tokens ?? 0,
    });
  const abort = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  const stream = body.stream === true;
  const upstreamResponse = await pool.request({
    origin: upstream.origin,
    path: chatPath,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-up',
      'x-request-id': String(requestId),
    },
    body: JSON.stringify(stream ? { ...body, stream_options: { include_usage: true } } : body),
    signal: abort.signal,
    stream,
  });
  const headers: Record<string, string> = {
    ...rateLimitHeaders(decision),
    'x-request-id': String(requestId),
    'x-gw-model-group': body.model,
    'x-gw-deployment': 'reference',
    'x-gw-attempts': '1',
  };
  if (!stream) {
    const answer = await upstreamResponse.text();
    const usage = (JSON.parse(answer) as { usage?: Usage }).usage;
    settle(usage);
    headers['x-gw-overhead-ms'] = (performance.now() - started).toFixed(3);
    headers['x-gw-cost'] = String(
      (usage?.prompt_tokens ?? 0) * inputPrice + (usage?.completion_tokens ?? 0) * outputPrice,
    );
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(answer));
    response.writeHead(upstreamResponse.status, headers);
    response.end(answer);
    return;
  }
  response.writeHead(upstreamResponse.status, {
    ...headers,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  });
  let usage: Usage | undefined;
  let out = '';
  const parser = createParser({
    onEvent(message) {
      if (message.data !== '[DONE]') {
        const chunk = JSON.parse(message.data) as { usage?: Usage | null };
        if (chunk.usage) usage = chunk.usage;
      }
      out += `data: ${message.data}\n\n`;
    },
  });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const bytes of upstreamResponse.body) {
      parser.feed(decoder.write(bytes as Buffer));
      if (out !== '') {
        response.write(out);
        out = '';
      }
    }
  } catch (error) {
    // A cut stream ends with an error event, never as a clean success.
    response.write(`data: ${JSON.stringify({ error: { message: String(error), type: 'api_error' } })}\n\n`);
  }
  settle(usage);
  response.end();
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (response.headersSent) response.destroy();
    else fail(response, 502, String(error));
  });
});
serveChild(server, values.port, () => pool.close());
