// Facts about a canonical request the router needs: output token budget and required capabilities.
import type { CanonicalRequest } from './seams.ts';

export function maxTokensOf(request: CanonicalRequest | undefined): number | undefined {
  if (request === undefined) return undefined;
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

/** Capabilities a deployment must have for this request (model_info supports_function_calling / supports_vision). */
export function requirementsOf(
  request: CanonicalRequest | undefined,
): { tools?: boolean; vision?: boolean } | undefined {
  if (request === undefined) return undefined;
  let requires: { tools?: boolean; vision?: boolean } | undefined;
  if (Array.isArray(request.tools) && request.tools.length > 0) requires = { tools: true };
  const messages = request.messages;
  if (Array.isArray(messages)) {
    for (const message of messages as { content?: unknown }[]) {
      if (!Array.isArray(message.content)) continue;
      if ((message.content as { type?: unknown }[]).some((part) => part.type === 'image_url')) {
        requires = { ...requires, vision: true };
        break;
      }
    }
  }
  return requires;
}
