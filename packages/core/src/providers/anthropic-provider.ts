// Anthropic's Messages API behind the canonical OpenAI shape: `x-api-key`, `anthropic-version`, translated bodies.
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { createAnthropicStreamDecoder } from '../stream/anthropic-stream-decoder.ts';
import { fromAnthropicResponse } from '../translate/anthropic-to-openai-response.ts';
import { toAnthropicRequest } from '../translate/openai-to-anthropic-request.ts';
import type { AnthropicMessagesResponse } from '../types/anthropic.ts';
import type { ChatCompletionRequest } from '../types/openai.ts';
import type { Provider } from '../types/provider.ts';
import { jsonHeaders, splitBaseUrl } from './base-url.ts';
import { mapUpstreamError } from './map-upstream-error.ts';

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE = 'https://api.anthropic.com';

export const anthropicProvider: Provider = {
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
    const options: { dropParams?: boolean; defaultMaxTokens?: number } = {
      dropParams: target.dropParams === true,
    };
    const defaultMaxTokens = target.extra?.defaultMaxTokens;
    if (typeof defaultMaxTokens === 'number') options.defaultMaxTokens = defaultMaxTokens;
    const translated = toAnthropicRequest(
      { ...(body as ChatCompletionRequest), model: target.model },
      options,
    );
    const headers = jsonHeaders({ 'anthropic-version': ANTHROPIC_VERSION, ...target.headers });
    if (target.apiKey !== undefined && target.apiKey !== '') headers['x-api-key'] = target.apiKey;
    return { origin, path: `${root}/v1/messages`, method: 'POST', headers, body: JSON.stringify(translated) };
  },
  parseResponse(_operation, _status, body) {
    if (typeof body !== 'object' || body === null) {
      throw new InvalidRequestError(
        'anthropic answered with a body that is not a JSON object.',
        null,
        'GW_ERR_UPSTREAM_BODY',
      );
    }
    return fromAnthropicResponse(body as AnthropicMessagesResponse, Math.floor(Date.now() / 1000));
  },
  createStreamDecoder: (target, options) => createAnthropicStreamDecoder(target, options),
  mapError: (status, headers, body, target) =>
    mapUpstreamError({ provider: 'anthropic', status, headers, body, secrets: [target?.apiKey] }),
};
