// An in-process provider (LiteLLM's mock_response): deterministic OpenAI wire bytes, decoded like a real upstream's.
import type { ChatCompletionRequest, EmbeddingRequest } from '../types/openai.ts';
import type { Provider, UpstreamHttpResponse } from '../types/provider.ts';
import { createOpenAIStyleProvider } from './openai-provider.ts';

export const DEFAULT_MOCK_RESPONSE = 'This is a mock response from gw.';
const MOCK_ORIGIN = 'http://mock.gw.invalid';
const CREATED = 1_700_000_000;
const EMBEDDING_DIMENSIONS = 8;

const encoder = new TextEncoder();

/** Rough whitespace token count: the mock has no tokenizer and needs none to be deterministic. */
function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function promptText(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) {
    return (body.messages as ChatCompletionRequest['messages'])
      .map((message) =>
        typeof message.content === 'string'
          ? message.content
          : (message.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join(' '),
      )
      .join(' ');
  }
  const input = body.prompt ?? body.input;
  return Array.isArray(input) ? input.join(' ') : String(input ?? '');
}

function usage(prompt: string, completion: string) {
  const promptTokens = countWords(prompt);
  const completionTokens = countWords(completion);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

function vector(text: string): number[] {
  const out: number[] = [];
  for (let dimension = 0; dimension < EMBEDDING_DIMENSIONS; dimension++) {
    let hash = 2166136261 ^ dimension;
    for (let index = 0; index < text.length; index++)
      hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
    out.push(((hash >>> 0) % 2000) / 1000 - 1);
  }
  return out;
}

function jsonResponse(value: unknown): UpstreamHttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: (async function* () {
      yield encoder.encode(JSON.stringify(value));
    })(),
  };
}

function streamResponse(events: unknown[], signal: AbortSignal | undefined): UpstreamHttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: (async function* () {
      for (const event of events) {
        if (signal?.aborted) return;
        yield encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
      }
      yield encoder.encode('data: [DONE]\n\n');
    })(),
  };
}

/** LiteLLM's error mock responses: the mock answers with the status and body a real upstream would. */
const MOCK_ERRORS: Readonly<
  Record<string, { status: number; type: string; code: string | null; message: string }>
> = {
  'litellm.RateLimitError': {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Mock rate limit reached. Please try again in 1s.',
  },
  'litellm.InternalServerError': {
    status: 500,
    type: 'server_error',
    code: null,
    message: 'Mock internal server error.',
  },
  'litellm.ContextWindowExceededError': {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    message: "This model's maximum context length is exceeded (mock).",
  },
  'litellm.ContentPolicyViolationError': {
    status: 400,
    type: 'invalid_request_error',
    code: 'content_policy_violation',
    message: 'Your request was rejected as a result of our safety system (mock).',
  },
};

function mockError(text: string | undefined): UpstreamHttpResponse | undefined {
  if (text === undefined) return undefined;
  let spec = MOCK_ERRORS[text];
  if (spec === undefined && text.startsWith('Exception: ')) {
    spec = { status: 500, type: 'server_error', code: null, message: text.slice('Exception: '.length) };
  }
  if (spec === undefined) return undefined;
  const body = JSON.stringify({
    error: { message: spec.message, type: spec.type, param: null, code: spec.code },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.status === 429) headers['retry-after'] = '1';
  return {
    status: spec.status,
    headers,
    body: (async function* () {
      yield encoder.encode(body);
    })(),
  };
}

function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

const openAIStyle = createOpenAIStyleProvider({ name: 'mock', defaultApiBase: `${MOCK_ORIGIN}/v1` });

export const mockProvider: Provider = {
  ...openAIStyle,
  name: 'mock',
  supportsPrefill: false,
  buildRequest: (operation, body, target) =>
    openAIStyle.buildRequest(operation, body, { ...target, apiBase: target.apiBase || `${MOCK_ORIGIN}/v1` }),
  async fetch(request, target, signal) {
    const failure = mockError(target.mockResponse);
    if (failure !== undefined) return failure;
    const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>;
    const model = String(body.model ?? target.model);
    const id = 'chatcmpl-mock';
    if (request.path.endsWith('/embeddings')) {
      const input = (body as EmbeddingRequest).input;
      const inputs = Array.isArray(input) ? input.map(String) : [String(input)];
      const prompt = usage(inputs.join(' '), '');
      return jsonResponse({
        object: 'list',
        model,
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: vector(text) })),
        usage: { prompt_tokens: prompt.prompt_tokens, total_tokens: prompt.prompt_tokens },
      });
    }
    const text = target.mockResponse ?? DEFAULT_MOCK_RESPONSE;
    const counted = usage(promptText(body), text);
    const legacy = request.path.endsWith('/completions') && !request.path.endsWith('/chat/completions');
    if (body.stream !== true) {
      if (legacy) {
        return jsonResponse({
          id: 'cmpl-mock',
          object: 'text_completion',
          created: CREATED,
          model,
          choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
          usage: counted,
        });
      }
      return jsonResponse({
        id,
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: counted,
      });
    }
    const base = legacy
      ? { id: 'cmpl-mock', object: 'text_completion', created: CREATED, model }
      : { id, object: 'chat.completion.chunk', created: CREATED, model };
    const choice = (content: string | undefined, finish: string | null) =>
      legacy
        ? { index: 0, text: content ?? '', finish_reason: finish }
        : { index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish };
    const events: unknown[] = [];
    if (!legacy)
      events.push({
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
    for (const piece of pieces(text)) events.push({ ...base, choices: [choice(piece, null)] });
    events.push({ ...base, choices: [choice(undefined, 'stop')] });
    const includeUsage =
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (includeUsage) events.push({ ...base, choices: [], usage: counted });
    return streamResponse(events, signal);
  },
};
