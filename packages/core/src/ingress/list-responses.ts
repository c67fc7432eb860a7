// Bodies for the endpoints gw answers itself: the OpenAI models list and Anthropic's count_tokens.
import type { AnthropicCountTokensResponse } from '../types/anthropic.ts';
import type { ModelsListResponse } from '../types/openai.ts';

export function modelsListResponse(
  modelGroups: readonly string[],
  created = 0,
  ownedBy = 'gw',
): ModelsListResponse {
  return {
    object: 'list',
    data: modelGroups.map((id) => ({ id, object: 'model', created, owned_by: ownedBy })),
  };
}

export function countTokensResponse(inputTokens: number): AnthropicCountTokensResponse {
  return { input_tokens: inputTokens };
}
