// GET /v1/models[/id]: the configured models plus a few well-known ones, in OpenAI's or Anthropic's list shape.
import type { Exchange } from './exchange.ts';
import { sendError, sendJson } from './http-reply.ts';

const wellKnown = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'claude-sonnet-4-5'];
const createdAt = 1_700_000_000;

function openAIModel(id: string): Record<string, unknown> {
  return {
    id,
    object: 'model',
    created: createdAt,
    owned_by: id.startsWith('claude') ? 'anthropic' : 'openai',
  };
}

function anthropicModel(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: new Date(createdAt * 1000).toISOString() };
}

export function answerModels(
  exchange: Exchange,
  configured: string[],
  modelId: string | undefined,
): Promise<void> {
  const ids = [...new Set([...configured, ...wellKnown])];
  const anthropic = exchange.dialect === 'anthropic';
  const shape = anthropic ? anthropicModel : openAIModel;
  if (modelId !== undefined) {
    if (!ids.includes(modelId)) {
      return sendError(exchange, { status: 404, errorCode: 'model_not_found', model: modelId });
    }
    return sendJson(exchange, 200, shape(modelId));
  }
  if (anthropic) {
    return sendJson(exchange, 200, {
      data: ids.map(anthropicModel),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    });
  }
  return sendJson(exchange, 200, { object: 'list', data: ids.map(openAIModel) });
}
