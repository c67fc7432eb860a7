// gw's default provider lookup and request validation, used by createGateway unless the caller passes its own.
import { GwError } from '@gw/errors';
import { anthropicProvider } from '../providers/anthropic-provider.ts';
import { azureProvider } from '../providers/azure-provider.ts';
import { openAICompatibleProvider, openAIProvider } from '../providers/openai-provider.ts';
import type { Provider } from '../types/provider.ts';
import type { Operation } from './pipeline-context.ts';

const builtIn: Record<string, Provider> = {
  openai: openAIProvider,
  'openai-compatible': openAICompatibleProvider,
  azure: azureProvider,
  anthropic: anthropicProvider,
};

export function defaultResolveProvider(name: string): Provider | undefined {
  return builtIn[name];
}

/** Shape checks that routing needs; full field validation belongs to the ingress validators. */
export function defaultValidate(operation: Operation, body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('The request body must be a JSON object.', undefined);
  }
  const record = body as Record<string, unknown>;
  if (typeof record.model !== 'string' || record.model === '')
    throw invalid('model: a model name is required.', 'model');
  if (
    (operation === 'chat' || operation === 'messages' || operation === 'count_tokens') &&
    !Array.isArray(record.messages)
  ) {
    throw invalid('messages: an array of messages is required.', 'messages');
  }
  if (operation === 'embeddings' && record.input === undefined) throw invalid('input: required.', 'input');
  if (operation === 'completions' && record.prompt === undefined)
    throw invalid('prompt: required.', 'prompt');
  return body;
}

function invalid(message: string, param: string | undefined): GwError {
  return new GwError({
    code: 'GW_ERR_INVALID_REQUEST',
    message,
    status: 400,
    ...(param === undefined ? {} : { details: { param } }),
  });
}
