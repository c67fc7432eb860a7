// Prompt tokens of a chat-completions request as the OpenAI API bills them: messages, content parts, tools.
import { approximate } from './approximation.ts';
import type {
  ChatMessage,
  ContentPart,
  FunctionDefinition,
  JsonSchemaProperty,
  ToolDefinition,
} from './chat-types.ts';
import { resolveModel } from './count-tokens.ts';
import { loadEncoding } from './encoding-registry.ts';
import { dimensionsOfDataUrl, type ImageDimensions } from './image-dimensions.ts';
import { DEFAULT_IMAGE_DIMENSIONS, type ImageCost, imageCostFor, imageTokens } from './image-tokens.ts';
import type { Tokenizer } from './tokenizer.ts';
import { TokensError } from './tokens-error.ts';

export interface CountMessagesOptions {
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: unknown;
  /** The pre-tools `functions` field: the same definitions `tools` wraps, counted by the same rule. */
  readonly functions?: readonly FunctionDefinition[];
  /** The pre-tools `function_call` field: `'none'`, `'auto'` or `{ name }`, counted like `toolChoice`. */
  readonly functionCall?: unknown;
  /** Size of a remote image (inline data URLs are read from their header bytes); unknown sizes assume 1024x1024. */
  readonly imageDimensions?: (url: string) => ImageDimensions | undefined;
}

export interface MessageCount {
  readonly tokens: number;
  /** True when any part of the count is an approximation rather than OpenAI's billing rule. */
  readonly estimated: boolean;
}

/** Every reply is primed with `<|start|>assistant<|message|>`. */
const REPLY_PRIMING = 3;

/**
 * gpt-3.5-turbo-0301 framed messages as `<|start|>{role/name}\n{content}<|end|>\n`: one more per message, one
 * less per name. Azure names the same model `gpt-35-turbo` (no dot), version 0301.
 */
const LEGACY_FRAMING = new Set(['gpt-3.5-turbo-0301', 'gpt-35-turbo-0301']);

interface Counter {
  readonly tokenizer: Tokenizer;
  readonly imageCost: ImageCost;
  readonly options: CountMessagesOptions;
  estimated: boolean;
}

export function countMessages(
  messages: readonly ChatMessage[],
  model: string,
  options: CountMessagesOptions = {},
): MessageCount {
  if (!Array.isArray(messages)) {
    throw new TokensError('GW_ERR_TOKENS_INVALID_INPUT', 'messages must be an array of chat messages.');
  }
  const resolved = resolveModel(model);
  const counter: Counter = {
    tokenizer: loadEncoding(resolved.encoding),
    imageCost: imageCostFor(resolved.model),
    options,
    estimated: resolved.estimated,
  };
  const legacy = LEGACY_FRAMING.has(resolved.model);
  const perMessage = legacy ? 4 : 3;
  const perName = legacy ? -1 : 1;
  let total = 0;
  messages.forEach((message: unknown, index) => {
    total += perMessage + countMessage(counter, message, index, perName);
  });
  total += REPLY_PRIMING;
  const definitions = functionDefinitions(options);
  if (definitions.length > 0)
    total += countFunctions(counter, definitions, resolved.encoding === 'o200k_base');
  total += countToolChoice(counter, options.toolChoice) + countToolChoice(counter, options.functionCall);
  const tokens = resolved.family === 'openai' ? total : approximate(total, resolved.family);
  return { tokens, estimated: counter.estimated };
}

function invalid(message: string): TokensError {
  return new TokensError('GW_ERR_TOKENS_INVALID_INPUT', message);
}

function countMessage(counter: Counter, message: unknown, index: number, perName: number): number {
  if (typeof message !== 'object' || message === null) throw invalid(`messages[${index}] must be an object.`);
  const {
    role,
    content,
    name,
    tool_calls: toolCalls,
    tool_call_id: toolCallId,
    function_call: functionCall,
  } = message as ChatMessage;
  if (typeof role !== 'string') throw invalid(`messages[${index}].role must be a string such as 'user'.`);
  const count = (text: string): number => counter.tokenizer.count(text);
  let total = count(role);
  if (typeof content === 'string') total += count(content);
  else if (Array.isArray(content)) {
    content.forEach((part: unknown, partIndex) => {
      total += countPart(counter, part, `messages[${index}].content[${partIndex}]`);
    });
  } else if (content !== undefined && content !== null) {
    throw invalid(`messages[${index}].content must be a string, an array of parts, or null.`);
  }
  if (name !== undefined) {
    if (typeof name !== 'string') throw invalid(`messages[${index}].name must be a string.`);
    total += count(name) + perName;
  }
  if (toolCalls !== undefined) {
    if (!Array.isArray(toolCalls)) throw invalid(`messages[${index}].tool_calls must be an array.`);
    counter.estimated = true;
    for (const call of toolCalls)
      total += countCall(counter, (call as { function?: unknown } | null)?.function);
  }
  if (functionCall !== undefined && functionCall !== null) {
    if (typeof functionCall !== 'object')
      throw invalid(`messages[${index}].function_call must be an object.`);
    total += countCall(counter, functionCall);
  }
  if (toolCallId !== undefined) {
    counter.estimated = true;
    if (typeof toolCallId === 'string') total += count(toolCallId);
  }
  // A legacy function result, like a tool result, is framed in a way OpenAI does not publish.
  if (role === 'function') counter.estimated = true;
  return total;
}

/**
 * One call an assistant made (a `tool_calls` entry or a legacy `function_call`). OpenAI does not publish how
 * calls are framed; tiktoken-based counters (openai-chat-tokens) count the name, the arguments and 3, and the
 * result says it is an estimate.
 */
function countCall(counter: Counter, call: unknown): number {
  counter.estimated = true;
  const { name, arguments: args } = (call ?? {}) as { name?: unknown; arguments?: unknown };
  let total = 3;
  if (typeof name === 'string') total += counter.tokenizer.count(name);
  if (typeof args === 'string') total += counter.tokenizer.count(args);
  return total;
}

function countPart(counter: Counter, part: unknown, where: string): number {
  if (typeof part !== 'object' || part === null) throw invalid(`${where} must be a content part object.`);
  const typed = part as ContentPart;
  if (typed.type === 'text') {
    const text = (typed as { text?: unknown }).text;
    if (typeof text !== 'string') throw invalid(`${where}.text must be a string.`);
    return counter.tokenizer.count(text);
  }
  if (typed.type === 'image_url') {
    const image = (
      typed as { image_url?: { url?: unknown; detail?: unknown; width?: unknown; height?: unknown } }
    ).image_url;
    if (typeof image?.url !== 'string') throw invalid(`${where}.image_url.url must be a string.`);
    const detail = typeof image.detail === 'string' ? image.detail : undefined;
    return imageTokens(
      dimensionsFor(counter, image.url, image.width, image.height),
      detail,
      counter.imageCost,
    );
  }
  // Audio, files and future part types have no published token rule.
  counter.estimated = true;
  return 0;
}

function dimensionsFor(counter: Counter, url: string, width: unknown, height: unknown): ImageDimensions {
  if (typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0)
    return { width, height };
  const dimensions = dimensionsOfDataUrl(url) ?? counter.options.imageDimensions?.(url);
  if (dimensions !== undefined) return dimensions;
  counter.estimated = true;
  return DEFAULT_IMAGE_DIMENSIONS;
}

function withoutFinalPeriod(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** The function definitions of `tools` and of the legacy `functions`, which the API renders alike. */
function functionDefinitions(options: CountMessagesOptions): FunctionDefinition[] {
  const tools: unknown = options.tools ?? [];
  const functions: unknown = options.functions ?? [];
  if (!Array.isArray(tools)) throw invalid('tools must be an array.');
  if (!Array.isArray(functions)) throw invalid('functions must be an array.');
  const definitions: FunctionDefinition[] = [];
  tools.forEach((tool: unknown, index) => {
    definitions.push(
      validDefinition((tool as { function?: unknown } | null)?.function, `tools[${index}].function`),
    );
  });
  functions.forEach((fn: unknown, index) => {
    definitions.push(validDefinition(fn, `functions[${index}]`));
  });
  return definitions;
}

function validDefinition(fn: unknown, where: string): FunctionDefinition {
  if (typeof fn !== 'object' || fn === null || typeof (fn as { name?: unknown }).name !== 'string') {
    throw invalid(`${where}.name must be a string.`);
  }
  return fn as FunctionDefinition;
}

/**
 * The openai-cookbook's rule for function definitions, which matches the API for flat schemas:
 * per function 7 (o200k models) or 10 (cl100k models) plus `name:description`; per property 3 plus
 * `key:type:description`; enums -3 plus 3 and the item per item; 12 at the end.
 */
function countFunctions(
  counter: Counter,
  definitions: readonly FunctionDefinition[],
  o200k: boolean,
): number {
  const count = (text: string): number => counter.tokenizer.count(text);
  let total = 0;
  for (const fn of definitions) {
    total += o200k ? 7 : 10;
    total += count(
      `${fn.name}:${withoutFinalPeriod(typeof fn.description === 'string' ? fn.description : '')}`,
    );
    const properties = fn.parameters?.properties ?? {};
    const keys = Object.keys(properties);
    if (keys.length > 0) {
      total += 3;
      for (const key of keys) total += countProperty(counter, key, properties[key] ?? {});
    }
  }
  return total + 12;
}

function countProperty(counter: Counter, key: string, property: JsonSchemaProperty): number {
  const count = (text: string): number => counter.tokenizer.count(text);
  let total = 3;
  if (Array.isArray(property.enum)) {
    total -= 3;
    for (const item of property.enum)
      total += 3 + count(typeof item === 'string' ? item : JSON.stringify(item));
  }
  const type = Array.isArray(property.type) ? property.type.join('|') : String(property.type ?? '');
  const description = typeof property.description === 'string' ? property.description : '';
  total += count(`${key}:${type}:${withoutFinalPeriod(description)}`);
  if (property.properties !== undefined || property.items !== undefined) {
    // Nested schemas are outside the cookbook rule: count their text and mark the result as an estimate.
    counter.estimated = true;
    total += count(JSON.stringify({ properties: property.properties, items: property.items }));
  }
  return total;
}

function countToolChoice(counter: Counter, toolChoice: unknown): number {
  if (toolChoice === undefined || toolChoice === null || toolChoice === 'auto' || toolChoice === 'none')
    return 0;
  counter.estimated = true;
  // `{ type: 'function', function: { name } }`, or the legacy `function_call`'s `{ name }`.
  const choice = toolChoice as { function?: { name?: unknown }; name?: unknown };
  const name = choice.function?.name ?? choice.name;
  return typeof name === 'string' ? counter.tokenizer.count(name) + 3 : 0;
}
