// Bodies for the endpoints gw answers itself: the OpenAI models list and Anthropic's count_tokens.
import type { AnthropicCountTokensResponse } from '../types/anthropic.ts';
import type { ModelObject, ModelsListResponse } from '../types/openai.ts';

/** One model group as OpenAI describes a model (`GET /v1/models/{id}`, and each entry of the list). */
export function modelCard(id: string, created = 0, ownedBy = 'gw'): ModelObject {
  return { id, object: 'model', created, owned_by: ownedBy };
}

export function modelsListResponse(
  modelGroups: readonly string[],
  created = 0,
  ownedBy = 'gw',
): ModelsListResponse {
  return { object: 'list', data: modelGroups.map((id) => modelCard(id, created, ownedBy)) };
}

export function countTokensResponse(inputTokens: number): AnthropicCountTokensResponse {
  return { input_tokens: inputTokens };
}
