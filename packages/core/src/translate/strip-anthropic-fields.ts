// Removes Anthropic-only fields (cache_control, thinking, thinking_blocks, top_k) that OpenAI-format upstreams
// reject as unknown, and moves images out of tool results, which they reject too.
import { hasToolResultImages, moveToolResultImages } from './tool-result-images.ts';

export interface StripOptions {
  /** OpenAI and Azure reject `top_k`; many compatible servers (vLLM, Together) accept it. */
  topK: boolean;
}

function withoutCacheControl<T>(item: T): T {
  if (typeof item !== 'object' || item === null || !('cache_control' in item)) return item;
  const { cache_control: _dropped, ...rest } = item as Record<string, unknown>;
  return rest as T;
}

interface MessageFields {
  role?: unknown;
  content?: unknown;
  thinking_blocks?: unknown;
}

function hasCachedPart(message: MessageFields): boolean {
  return (
    Array.isArray(message?.content) &&
    (message.content as unknown[]).some(
      (part) => typeof part === 'object' && part !== null && 'cache_control' in part,
    )
  );
}

function withoutAnthropicFields(message: MessageFields): MessageFields {
  const cached = hasCachedPart(message);
  if (!cached && message?.thinking_blocks === undefined) return message;
  const { thinking_blocks: _dropped, ...rest } = message;
  if (cached) rest.content = (message.content as unknown[]).map(withoutCacheControl);
  return rest;
}

/** A copy of `body` without those fields; the same object when there is nothing to remove (the common case). */
export function stripAnthropicFields(
  body: Record<string, unknown>,
  options: StripOptions,
): Record<string, unknown> {
  const messages = body.messages as MessageFields[] | undefined;
  const tools = body.tools as unknown[] | undefined;
  // One pass over the history. Signed thinking blocks an Anthropic caller sends back with it mean nothing to
  // other models.
  let anthropicMessage = false;
  let toolImages = false;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!anthropicMessage && (hasCachedPart(message) || message?.thinking_blocks !== undefined))
        anthropicMessage = true;
      if (!toolImages && hasToolResultImages(message)) toolImages = true;
    }
  }
  const cachedTool =
    Array.isArray(tools) &&
    tools.some((tool) => typeof tool === 'object' && tool !== null && 'cache_control' in tool);
  const hasThinking = body.thinking !== undefined;
  const hasTopK = options.topK && body.top_k !== undefined;
  if (!anthropicMessage && !toolImages && !cachedTool && !hasThinking && !hasTopK) return body;
  const out: Record<string, unknown> = { ...body };
  if (hasThinking) delete out.thinking;
  if (hasTopK) delete out.top_k;
  let outMessages: MessageFields[] | undefined = messages;
  if (anthropicMessage) outMessages = messages!.map(withoutAnthropicFields);
  if (toolImages) outMessages = moveToolResultImages(outMessages!);
  if (outMessages !== messages) out.messages = outMessages;
  if (cachedTool) out.tools = tools!.map(withoutCacheControl);
  return out;
}
