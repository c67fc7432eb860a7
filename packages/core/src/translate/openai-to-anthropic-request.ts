// Translates a canonical (OpenAI) chat request into an Anthropic Messages request for an Anthropic upstream.
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import type {
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolChoice,
} from '../types/anthropic.ts';
import type {
  CacheControl,
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  ToolChoice,
} from '../types/openai.ts';
import { documentSourceFromFileData } from './document-source.ts';
import { imageSourceFromUrl } from './image-source.ts';
import { JSON_TOOL_NAME, jsonToolSchema } from './json-tool.ts';

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export interface ToAnthropicOptions {
  /** Drop parameters Anthropic does not support instead of rejecting the request. */
  dropParams?: boolean;
  /** max_tokens when the request has none (Anthropic requires it). */
  defaultMaxTokens?: number;
}

/** OpenAI parameters with no Anthropic equivalent; a value equal to the default is harmless. */
const UNSUPPORTED: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (value) => value !== 1,
  logprobs: (value) => value === true,
  top_logprobs: () => true,
  logit_bias: () => true,
  presence_penalty: (value) => value !== 0,
  frequency_penalty: (value) => value !== 0,
  seed: () => true,
  functions: () => true,
  function_call: () => true,
  audio: () => true,
  modalities: () => true,
  prediction: () => true,
};

/** Parameters that are translated or safely ignored. */
const KNOWN = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'metadata',
  'store',
  'service_tier',
  'thinking',
  'response_format',
  ...Object.keys(UNSUPPORTED),
]);

export function toAnthropicRequest(
  request: ChatCompletionRequest,
  options: ToAnthropicOptions = {},
): AnthropicMessagesRequest {
  checkUnsupported(request, options.dropParams === true);
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...systemBlocks(message.content));
      return;
    }
    const converted = convertMessage(message, index);
    // Anthropic rejects empty content; an empty assistant turn (some SDKs send one) carries nothing anyway.
    if (converted.role === 'assistant' && Array.isArray(converted.content) && converted.content.length === 0)
      return;
    const last = messages[messages.length - 1];
    // Anthropic wants alternating roles: tool results and the user turn after them share one user message.
    if (last !== undefined && last.role === converted.role) {
      last.content = [...asBlocks(last.content), ...asBlocks(converted.content)];
    } else {
      messages.push(converted);
    }
  });

  // A trailing assistant message is a prefill; Anthropic rejects one that ends in whitespace.
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant' && typeof last.content === 'string') last.content = last.content.trimEnd();

  const out: AnthropicMessagesRequest = {
    model: request.model,
    messages,
    max_tokens:
      request.max_tokens ??
      request.max_completion_tokens ??
      options.defaultMaxTokens ??
      DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  if (system.length === 1 && system[0]!.cache_control === undefined) out.system = system[0]!.text;
  else if (system.length > 1) out.system = system;
  if (request.stop !== undefined && request.stop !== null) {
    out.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  }
  if (request.stream === true) out.stream = true;
  if (request.temperature !== undefined && request.temperature !== null)
    out.temperature = request.temperature;
  if (request.top_p !== undefined && request.top_p !== null) out.top_p = request.top_p;
  if (typeof request.top_k === 'number') out.top_k = request.top_k;
  if (request.user !== undefined) out.metadata = { user_id: request.user };
  // LiteLLM passes Anthropic's `thinking` through an OpenAI-shaped request; so does gw.
  if (typeof request.thinking === 'object' && request.thinking !== null) {
    out.thinking = request.thinking as NonNullable<AnthropicMessagesRequest['thinking']>;
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    out.tools = request.tools.map((tool) => {
      const converted: { name: string; description?: string; input_schema: Record<string, unknown> } = {
        name: tool.function.name,
        input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
      };
      if (tool.function.description !== undefined) converted.description = tool.function.description;
      return tool.cache_control === undefined
        ? converted
        : { ...converted, cache_control: tool.cache_control };
    });
  }
  const choice = toolChoice(request.tool_choice, request.parallel_tool_calls);
  if (choice !== undefined) out.tool_choice = choice;
  const schema = jsonToolSchema(request.response_format);
  if (schema !== undefined) {
    const hasOwnTools = (out.tools?.length ?? 0) > 0;
    out.tools = [
      ...(out.tools ?? []),
      {
        name: JSON_TOOL_NAME,
        description: 'Respond with a JSON object in this format.',
        input_schema: schema,
      },
    ];
    // Alone, the JSON tool is forced; beside the caller's tools, any tool may answer.
    out.tool_choice = hasOwnTools ? { type: 'any' } : { type: 'tool', name: JSON_TOOL_NAME };
  }
  return out;
}

function checkUnsupported(request: ChatCompletionRequest, drop: boolean): void {
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    const unsupported = UNSUPPORTED[key];
    const rejects = unsupported !== undefined ? unsupported(value) : !KNOWN.has(key);
    if (!rejects || drop) continue;
    throw new InvalidRequestError(
      `The parameter '${key}' is not supported by Anthropic models. Remove it, or set drop_params: true to drop unsupported parameters.`,
      key,
      'GW_ERR_UNSUPPORTED_PARAM',
    );
  }
}

function toolChoice(
  choice: ToolChoice | undefined,
  parallel: boolean | undefined,
): AnthropicToolChoice | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...single } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...single };
  if (choice === 'required') return { type: 'any', ...single };
  return { type: 'tool', name: choice.function.name, ...single };
}

function convertMessage(message: ChatMessage, index: number): AnthropicMessage {
  if (message.role === 'tool' || message.role === 'function') {
    const block: AnthropicContentBlock = {
      type: 'tool_result',
      tool_use_id: message.tool_call_id ?? message.name ?? '',
      content:
        typeof message.content === 'string'
          ? message.content
          : partsToBlocks(message.content ?? [], `messages[${index}]`),
    };
    return { role: 'user', content: [block] };
  }
  if (message.role === 'assistant') {
    // With extended thinking, a turn that called a tool must begin with its signed thinking blocks.
    const blocks: AnthropicContentBlock[] = [...(message.thinking_blocks ?? [])];
    const text = textOf(message.content);
    if (text !== '') blocks.push({ type: 'text', text });
    for (const call of message.tool_calls ?? []) {
      blocks.push({
        type: 'tool_use',
        id: call.id,
        name: call.function.name,
        input: parseArguments(call.function.arguments),
      });
    }
    if (blocks.length === 1 && blocks[0]!.type === 'text') return { role: 'assistant', content: text };
    return { role: 'assistant', content: blocks };
  }
  if (message.role !== 'user') {
    throw new InvalidRequestError(
      `messages[${index}].role '${String(message.role)}' is not supported.`,
      `messages[${index}].role`,
    );
  }
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  return { role: 'user', content: partsToBlocks(message.content ?? [], `messages[${index}]`) };
}

type UserBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock;

function partsToBlocks(parts: ContentPart[], messagePath: string): UserBlock[] {
  const blocks: UserBlock[] = [];
  parts.forEach((part, index) => {
    let block: UserBlock;
    if (part.type === 'text') block = { type: 'text', text: part.text };
    else if (part.type === 'image_url')
      block = { type: 'image', source: imageSourceFromUrl(part.image_url.url) };
    else block = documentOrRefusal(part, `${messagePath}.content[${index}]`);
    const cacheControl = (part as { cache_control?: CacheControl }).cache_control;
    if (cacheControl !== undefined) block.cache_control = cacheControl;
    blocks.push(block);
  });
  return blocks;
}

/** A file becomes a document; what Anthropic cannot read is refused rather than left out of the prompt unseen. */
function documentOrRefusal(part: Exclude<ContentPart, { type: 'text' | 'image_url' }>, path: string) {
  if (part.type === 'file') {
    const source =
      part.file.file_data === undefined ? undefined : documentSourceFromFileData(part.file.file_data);
    if (source !== undefined) return { type: 'document', source } satisfies AnthropicDocumentBlock;
    throw new InvalidRequestError(
      part.file.file_data === undefined
        ? `Anthropic models cannot read an OpenAI file_id; send the file itself as file_data (a data URL such as data:application/pdf;base64,...).`
        : `file_data must be a data URL such as data:application/pdf;base64,... or an https URL.`,
      `${path}.file`,
      'GW_ERR_UNSUPPORTED_PARAM',
    );
  }
  throw new InvalidRequestError(
    `Content of type '${part.type}' is not supported by Anthropic models.`,
    `${path}.type`,
    'GW_ERR_UNSUPPORTED_PARAM',
  );
}

function systemBlocks(content: ChatMessage['content']): AnthropicTextBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicTextBlock[] = [];
  for (const part of content ?? []) {
    if (part.type !== 'text' || part.text === '') continue;
    const block: AnthropicTextBlock = { type: 'text', text: part.text };
    if (part.cache_control !== undefined) block.cache_control = part.cache_control;
    blocks.push(block);
  }
  return blocks;
}

function asBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function textOf(content: ChatMessage['content']): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('');
}

function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // Anthropic requires an object; keep the raw text visible rather than failing the whole request.
    return { arguments: text };
  }
}
