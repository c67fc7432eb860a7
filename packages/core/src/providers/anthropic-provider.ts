// Anthropic's Messages API behind the canonical OpenAI shape: `x-api-key`, `anthropic-version`, translated bodies.
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { createAnthropicStreamDecoder } from '../stream/anthropic-stream-decoder.ts';
import { fromAnthropicResponse } from '../translate/anthropic-to-openai-response.ts';
import { type ToAnthropicOptions, toAnthropicRequest } from '../translate/openai-to-anthropic-request.ts';
import type { AnthropicMessagesResponse } from '../types/anthropic.ts';
import type { ChatCompletionRequest } from '../types/openai.ts';
import type { Provider } from '../types/provider.ts';
import { jsonHeaders, splitBaseUrl } from './base-url.ts';
import { mapUpstreamError } from './map-upstream-error.ts';

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE = 'https://api.anthropic.com';

export interface AnthropicProviderOptions {
  /** Milliseconds since the epoch, for the `created` field of translated answers. */
  now?: () => number;
  /** max_tokens when the request has none and the deployment sets no `extra.defaultMaxTokens`. */
  defaultMaxTokens?: number;
}

export function createAnthropicProvider(options: AnthropicProviderOptions = {}): Provider {
  const now = options.now ?? Date.now;
  return {
    name: 'anthropic',
    supportsPrefill: true,
    buildRequest(operation, body, target) {
      if (operation !== 'chat') {
        throw new InvalidRequestError(
          `Anthropic models answer chat completions only; '${operation}' is not supported for '${target.model}'.`,
          null,
          'GW_ERR_UNSUPPORTED_OPERATION',
        );
      }
      const { origin, prefix } = splitBaseUrl(target.apiBase === '' ? DEFAULT_BASE : target.apiBase);
      // LiteLLM configs use the host, `/v1`, or the full `/v1/messages` URL as api_base.
      const root = prefix.replace(/\/v1\/messages$/, '').replace(/\/v1$/, '');
      const translateOptions: ToAnthropicOptions = { dropParams: target.dropParams === true };
      const defaultMaxTokens = target.extra?.defaultMaxTokens ?? options.defaultMaxTokens;
      if (typeof defaultMaxTokens === 'number') translateOptions.defaultMaxTokens = defaultMaxTokens;
      const translated = toAnthropicRequest(
        { ...(body as ChatCompletionRequest), model: target.model },
        translateOptions,
      );
      const headers = jsonHeaders({ 'anthropic-version': ANTHROPIC_VERSION, ...target.headers });
      if (target.apiKey !== undefined && target.apiKey !== '') headers['x-api-key'] = target.apiKey;
      return {
        origin,
        path: `${root}/v1/messages`,
        method: 'POST',
        headers,
        body: JSON.stringify(translated),
      };
    },
    parseResponse(_operation, _status, body) {
      if (typeof body !== 'object' || body === null) {
        throw new InvalidRequestError(
          'anthropic answered with a body that is not a JSON object.',
          null,
          'GW_ERR_UPSTREAM_BODY',
        );
      }
      return fromAnthropicResponse(body as AnthropicMessagesResponse, Math.floor(now() / 1000));
    },
    createStreamDecoder: (target, decoderOptions) =>
      createAnthropicStreamDecoder(target, decoderOptions, now),
    mapError: (status, headers, body, target) =>
      mapUpstreamError({ provider: 'anthropic', status, headers, body, secrets: [target?.apiKey] }),
  };
}

export const anthropicProvider: Provider = createAnthropicProvider();
