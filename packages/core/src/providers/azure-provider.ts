// Azure OpenAI: deployment URLs with `api-version`, the `api-key` header, OpenAI's wire format otherwise.
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { createOpenAIStreamDecoder } from '../stream/openai-stream-decoder.ts';
import type { Provider, UpstreamOperation } from '../types/provider.ts';
import { jsonHeaders, splitBaseUrl } from './base-url.ts';
import { mapUpstreamError } from './map-upstream-error.ts';
import { openAIBody, parseOpenAIResponse } from './openai-provider.ts';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

const SUFFIX: Record<UpstreamOperation, string> = {
  chat: 'chat/completions',
  completions: 'completions',
  embeddings: 'embeddings',
};

export const azureProvider: Provider = {
  name: 'azure',
  supportsPrefill: false,
  buildRequest(operation, body, target) {
    if (target.apiBase === '') {
      throw new InvalidRequestError(
        `The azure deployment '${target.model}' has no api_base; set it to https://<resource>.openai.azure.com.`,
        null,
        'GW_ERR_PROVIDER_CONFIG',
      );
    }
    const { origin, prefix } = splitBaseUrl(target.apiBase);
    // Users paste either the resource URL or one ending in /openai; both mean the same deployment path.
    const root = prefix.replace(/\/openai$/, '');
    const version = encodeURIComponent(target.apiVersion ?? DEFAULT_AZURE_API_VERSION);
    const path = `${root}/openai/deployments/${encodeURIComponent(target.model)}/${SUFFIX[operation]}?api-version=${version}`;
    const headers = jsonHeaders(target.headers);
    if (target.apiKey !== undefined && target.apiKey !== '') headers['api-key'] = target.apiKey;
    return { origin, path, method: 'POST', headers, body: openAIBody(operation, body, target.model) };
  },
  parseResponse: (_operation, _status, body) => parseOpenAIResponse(body, 'azure'),
  createStreamDecoder: (target, options) => createOpenAIStreamDecoder(target, options),
  mapError: (status, headers, body, target) =>
    mapUpstreamError({ provider: 'azure', status, headers, body, secrets: [target?.apiKey] }),
};
