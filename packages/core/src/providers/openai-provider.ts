// The OpenAI provider and its OpenAI-compatible variant (vLLM, Ollama, Groq, Together, Mistral, DeepSeek, OpenRouter).
import { copyWith } from '../collections/copy-with.ts';
import { OPENAI_COMPATIBLE_BASES } from '../config/provider-names.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { createOpenAIStreamDecoder } from '../stream/openai-stream-decoder.ts';
import { type StripOptions, stripAnthropicFields } from '../translate/strip-anthropic-fields.ts';
import type {
  CanonicalRequest,
  CanonicalResponse,
  Provider,
  ProviderTarget,
  UpstreamHttpRequest,
  UpstreamOperation,
} from '../types/provider.ts';
import { jsonHeaders, splitBaseUrl } from './base-url.ts';
import { mapUpstreamError } from './map-upstream-error.ts';
import { withCompletionTokensParam } from './output-tokens-param.ts';

const PATHS: Record<UpstreamOperation, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

export interface OpenAIStyleOptions {
  name: string;
  /** Used when the target has no api_base. */
  defaultApiBase?: string;
  supportsPrefill?: boolean;
  /** Drop `top_k` (OpenAI rejects it); compatible servers such as vLLM accept it. Default true. */
  stripTopK?: boolean;
  /** Send `max_completion_tokens` for OpenAI's reasoning models, which refuse `max_tokens`. Default true. */
  reasoningParams?: boolean;
}

export interface OpenAIBodyOptions extends StripOptions {
  /** Rename `max_tokens` for OpenAI's reasoning models (OpenAI and Azure, not compatible servers). */
  reasoningParams: boolean;
}

/** The body sent upstream: the deployment's model, and usage requested for streams. */
export function openAIBody(
  operation: UpstreamOperation,
  body: CanonicalRequest,
  model: string,
  options: OpenAIBodyOptions = { topK: true, reasoningParams: true },
): string {
  const stripped = stripAnthropicFields(body, options);
  const out: Record<string, unknown> = {
    ...(options.reasoningParams ? withCompletionTokensParam(stripped, model) : stripped),
    model,
  };
  if (operation !== 'embeddings' && out.stream === true) {
    // gw's own stream calls arrive with usage asked for already; a direct caller of the provider may not.
    const streamOptions = out.stream_options as { include_usage?: unknown } | null | undefined;
    if (streamOptions?.include_usage !== true) {
      out.stream_options = copyWith(streamOptions ?? {}, { include_usage: true });
    }
  } else if (out.stream_options !== undefined) {
    // Only when present: `delete` turns the object into a slow dictionary for JSON.stringify.
    delete out.stream_options;
  }
  return JSON.stringify(out);
}

export function parseOpenAIResponse(body: unknown, provider: string): CanonicalResponse {
  if (typeof body !== 'object' || body === null) {
    throw new InvalidRequestError(
      `${provider} answered with a body that is not a JSON object.`,
      null,
      'GW_ERR_UPSTREAM_BODY',
    );
  }
  return body as CanonicalResponse;
}

/** Resolves a LiteLLM-prefixed model (`groq/llama3`) to its default base when the target has no api_base. */
function resolveBase(target: ProviderTarget, fallback: string | undefined): { base: string; model: string } {
  if (target.apiBase !== '') return { base: target.apiBase, model: target.model };
  const slash = target.model.indexOf('/');
  if (slash > 0) {
    const known = OPENAI_COMPATIBLE_BASES[target.model.slice(0, slash)];
    if (known !== undefined) return { base: known, model: target.model.slice(slash + 1) };
  }
  if (fallback !== undefined) return { base: fallback, model: target.model };
  throw new InvalidRequestError(
    `The ${target.provider} deployment of '${target.model}' has no api_base; set litellm_params.api_base.`,
    null,
    'GW_ERR_PROVIDER_CONFIG',
  );
}

export function createOpenAIStyleProvider(options: OpenAIStyleOptions): Provider {
  const { name } = options;
  return {
    name,
    supportsPrefill: options.supportsPrefill ?? false,
    buildRequest(operation, body, target): UpstreamHttpRequest {
      const { base, model } = resolveBase(target, options.defaultApiBase);
      const { origin, prefix } = splitBaseUrl(base);
      const headers = jsonHeaders(target.headers);
      if (target.apiKey !== undefined && target.apiKey !== '')
        headers.authorization = `Bearer ${target.apiKey}`;
      return {
        origin,
        path: `${prefix}${PATHS[operation]}`,
        method: 'POST',
        headers,
        body: openAIBody(operation, body, model, {
          topK: options.stripTopK ?? true,
          reasoningParams: options.reasoningParams ?? true,
        }),
      };
    },
    parseResponse: (_operation, _status, body) => parseOpenAIResponse(body, name),
    createStreamDecoder: (target, decoderOptions) => createOpenAIStreamDecoder(target, decoderOptions),
    mapError: (status, headers, body, target) =>
      mapUpstreamError({ provider: name, status, headers, body, secrets: [target?.apiKey] }),
  };
}

export const openAIProvider: Provider = createOpenAIStyleProvider({
  name: 'openai',
  defaultApiBase: 'https://api.openai.com/v1',
});

export const openAICompatibleProvider: Provider = createOpenAIStyleProvider({
  name: 'openai-compatible',
  stripTopK: false,
  // A compatible server's model names are its own: `o3-...` there need not be OpenAI's.
  reasoningParams: false,
});
