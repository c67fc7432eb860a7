// The checks the real providers make before doing any work: credentials, API version, JSON body, prefill.
import type { Exchange } from './exchange.ts';
import type { ErrorReply } from './http-reply.ts';
import { presentedKey } from './recorded-request.ts';
import type { Endpoint } from './routes.ts';

function lastRole(messages: unknown): unknown {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last: unknown = messages[messages.length - 1];
  return typeof last === 'object' && last !== null ? (last as { role?: unknown }).role : undefined;
}

function credentialError(exchange: Exchange): ErrorReply | undefined {
  const { headers } = exchange.request;
  if (exchange.dialect === 'azure') {
    if (!exchange.query.has('api-version')) return { status: 404, errorCode: 'missing_api_version' };
    if (presentedKey(headers) === undefined) return { status: 401, errorCode: 'missing_api_key' };
    return undefined;
  }
  if (exchange.dialect === 'anthropic') {
    if (presentedKey(headers) === undefined) return { status: 401, errorCode: 'missing_api_key' };
    if (headers['anthropic-version'] === undefined) return { status: 400, errorCode: 'missing_version' };
    return undefined;
  }
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || !/^Bearer\s+\S/i.test(authorization)) {
    return { status: 401, errorCode: 'missing_api_key' };
  }
  return undefined;
}

function bodyError(exchange: Exchange, endpoint: Endpoint): ErrorReply | undefined {
  if (endpoint === 'models') return undefined;
  if (exchange.invalidJson) return { status: 400, errorCode: 'invalid_json' };
  const { body } = exchange;
  if (endpoint === 'messages') {
    if (typeof body.model !== 'string') return { status: 400, errorMessage: 'model: Field required' };
    if (typeof body.max_tokens !== 'number') return { status: 400, errorCode: 'missing_max_tokens' };
    if (!Array.isArray(body.messages)) return { status: 400, errorMessage: 'messages: Field required' };
    return undefined;
  }
  if (exchange.dialect === 'openai' && typeof body.model !== 'string') {
    return { status: 400, errorMessage: 'you must provide a model parameter' };
  }
  if (endpoint === 'chat' && !Array.isArray(body.messages)) {
    return { status: 400, errorMessage: "Missing required parameter: 'messages'." };
  }
  if (endpoint === 'embeddings' && body.input === undefined) {
    return { status: 400, errorMessage: "Missing required parameter: 'input'." };
  }
  if (endpoint === 'completions' && body.prompt === undefined) {
    return { status: 400, errorMessage: "Missing required parameter: 'prompt'." };
  }
  return undefined;
}

/** The scripted status fault; an errorCode alone implies 400. */
function scriptedError(exchange: Exchange): ErrorReply | undefined {
  const { scenario } = exchange;
  if (scenario.status === undefined && scenario.errorCode === undefined) return undefined;
  const reply: ErrorReply = { status: scenario.status ?? 400 };
  if (scenario.errorCode !== undefined) reply.errorCode = scenario.errorCode;
  if (scenario.errorMessage !== undefined) reply.errorMessage = scenario.errorMessage;
  if (scenario.retryAfter !== undefined) reply.retryAfter = scenario.retryAfter;
  return reply;
}

export function preflight(exchange: Exchange, endpoint: Endpoint): ErrorReply | undefined {
  const rejected = credentialError(exchange) ?? bodyError(exchange, endpoint) ?? scriptedError(exchange);
  if (rejected !== undefined) return rejected;
  const conversational = endpoint === 'chat' || endpoint === 'messages';
  if (
    conversational &&
    exchange.scenario.rejectPrefill === true &&
    lastRole(exchange.body.messages) === 'assistant'
  ) {
    return { status: 400, errorCode: 'prefill_not_supported' };
  }
  return undefined;
}
