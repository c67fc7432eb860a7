// The caller's protocols per operation: OpenAI (chat, completions, embeddings, models) and Anthropic (messages).

import { formatAnthropicError, formatOpenAIError } from '../ingress/error-format.ts';
import { createAnthropicSseEncoder } from '../stream/anthropic-sse-encoder.ts';
import { createOpenAISseEncoder } from '../stream/openai-sse-encoder.ts';
import { fromAnthropicRequest } from '../translate/anthropic-to-openai-request.ts';
import { toAnthropicResponse } from '../translate/openai-to-anthropic-response.ts';
import type { AnthropicMessagesRequest } from '../types/anthropic.ts';
import type { ChatCompletionResponse } from '../types/openai.ts';
import type { Operation } from './pipeline-context.ts';
import type { CanonicalRequest, IngressProtocol } from './seams.ts';

export type RequestValidator = (operation: Operation, body: unknown) => unknown;

function openAI(operation: Operation, validate: RequestValidator): IngressProtocol {
  return {
    parse: (body) => validate(operation, body) as CanonicalRequest,
    formatResponse: (response) => response,
    createStreamEncoder: (_model, request) =>
      createOpenAISseEncoder({
        includeUsage:
          (request.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
      }),
    formatError: (error) => formatOpenAIError(error),
  };
}

function anthropic(operation: Operation, validate: RequestValidator): IngressProtocol {
  return {
    parse(body) {
      const valid = validate(operation, body) as AnthropicMessagesRequest;
      return fromAnthropicRequest(valid) as unknown as CanonicalRequest;
    },
    formatResponse: (response, requestedModel) =>
      toAnthropicResponse(response as ChatCompletionResponse, requestedModel),
    createStreamEncoder: (requestedModel, _request, promptTokens) =>
      createAnthropicSseEncoder(requestedModel, promptTokens),
    formatError: (error) => formatAnthropicError(error),
  };
}

export function ingressProtocols(validate: RequestValidator): Record<Operation, IngressProtocol> {
  return {
    chat: openAI('chat', validate),
    completions: openAI('completions', validate),
    embeddings: openAI('embeddings', validate),
    models: openAI('models', validate),
    messages: anthropic('messages', validate),
    count_tokens: anthropic('count_tokens', validate),
  };
}
