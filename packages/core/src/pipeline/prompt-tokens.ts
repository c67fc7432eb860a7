// Prompt tokens of a canonical request with @gw/tokens, as the upstream will bill them (for limits and routing).
import {
  type ChatMessage,
  countMessages,
  countTokens,
  type FunctionDefinition,
  type ToolDefinition,
} from '@gw/tokens';
import type { Operation } from './pipeline-context.ts';
import type { CanonicalRequest } from './seams.ts';

export function countPromptTokens(request: CanonicalRequest, operation: Operation, model: string): number {
  if (operation === 'embeddings') return countInput(request.input, model);
  if (operation === 'completions') return countInput(request.prompt, model);
  const messages = request.messages;
  if (!Array.isArray(messages)) return 0;
  const options: {
    tools?: ToolDefinition[];
    toolChoice?: unknown;
    functions?: FunctionDefinition[];
    functionCall?: unknown;
  } = {};
  if (Array.isArray(request.tools)) options.tools = request.tools as ToolDefinition[];
  if (request.tool_choice !== undefined) options.toolChoice = request.tool_choice;
  // The pre-tools fields, still accepted by OpenAI and sent by older clients: billed like tools.
  if (Array.isArray(request.functions)) options.functions = request.functions as FunctionDefinition[];
  if (request.function_call !== undefined) options.functionCall = request.function_call;
  return countMessages(messages as ChatMessage[], model, options).tokens;
}

function countInput(input: unknown, model: string): number {
  if (typeof input === 'string') return countTokens(input, model);
  if (Array.isArray(input)) {
    let total = 0;
    for (const item of input) {
      if (typeof item === 'string') total += countTokens(item, model);
      else if (Array.isArray(item)) total += item.length;
      else if (typeof item === 'number') total += 1;
    }
    return total;
  }
  return 0;
}

export function countOutputText(text: string, model: string): number {
  return text === '' ? 0 : countTokens(text, model);
}
