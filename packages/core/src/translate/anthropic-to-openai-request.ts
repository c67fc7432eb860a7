// Translates an Anthropic Messages request (Anthropic ingress) into the canonical OpenAI chat request.
import type {
  AnthropicContentBlock,
  AnthropicCountTokensRequest,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolChoice,
} from '../types/anthropic.ts';
import type {
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  ThinkingBlock,
  ToolCall,
  ToolChoice,
} from '../types/openai.ts';
import { fileDataFromDocumentSource } from './document-source.ts';
import { urlFromImageSource } from './image-source.ts';

export function fromAnthropicRequest(
  request: AnthropicMessagesRequest | AnthropicCountTokensRequest,
): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (typeof request.system === 'string') {
    if (request.system !== '') messages.push({ role: 'system', content: request.system });
  } else if (request.system !== undefined) {
    for (const block of request.system) {
      messages.push({
        role: 'system',
        content:
          block.cache_control === undefined
            ? block.text
            : [{ type: 'text', text: block.text, cache_control: block.cache_control }],
      });
    }
  }
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: message.content });
    } else if (message.role === 'assistant') {
      messages.push(assistantMessage(message.content));
    } else {
      messages.push(...userMessages(message.content));
    }
  }
  const out: ChatCompletionRequest = { model: request.model, messages };
  if (typeof request.max_tokens === 'number') out.max_tokens = request.max_tokens;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) {
    out.stop = request.stop_sequences as string[];
  }
  if (request.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (typeof request.temperature === 'number') out.temperature = request.temperature;
  if (typeof request.top_p === 'number') out.top_p = request.top_p;
  if (typeof request.top_k === 'number') out.top_k = request.top_k;
  if (typeof request.thinking === 'object' && request.thinking !== null) out.thinking = request.thinking;
  const userId = (request.metadata as { user_id?: unknown } | undefined)?.user_id;
  if (typeof userId === 'string') out.user = userId;
  if (request.tools !== undefined && request.tools.length > 0) {
    out.tools = request.tools.map((tool) => {
      const fn: { name: string; description?: string; parameters: Record<string, unknown> } = {
        name: tool.name,
        parameters: tool.input_schema,
      };
      if (tool.description !== undefined) fn.description = tool.description;
      return tool.cache_control === undefined
        ? { type: 'function', function: fn }
        : { type: 'function', function: fn, cache_control: tool.cache_control };
    });
  }
  if (request.tool_choice !== undefined) {
    out.tool_choice = toolChoice(request.tool_choice);
    if (
      'disable_parallel_tool_use' in request.tool_choice &&
      request.tool_choice.disable_parallel_tool_use === true
    ) {
      out.parallel_tool_calls = false;
    }
  }
  return out;
}

function toolChoice(choice: AnthropicToolChoice): ToolChoice {
  switch (choice.type) {
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    default:
      return 'auto';
  }
}

function assistantMessage(blocks: AnthropicContentBlock[]): ChatMessage {
  let text = '';
  const toolCalls: ToolCall[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  for (const block of blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking' || block.type === 'redacted_thinking') thinkingBlocks.push(block);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  return message;
}

/** Tool results become `tool` messages ahead of the rest of the user turn, as OpenAI expects. */
function userMessages(blocks: AnthropicContentBlock[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const content = typeof block.content === 'string' ? block.content : (block.content ?? []).map(partOf);
      out.push({
        role: 'tool',
        tool_call_id: block.tool_use_id,
        content: content.length === 0 ? '' : content,
      });
    } else if (block.type === 'text' || block.type === 'image' || block.type === 'document') {
      parts.push(partOf(block));
    }
  }
  if (parts.length > 0) {
    const onlyText = parts.every((part) => part.type === 'text' && part.cache_control === undefined);
    out.push({
      role: 'user',
      content: onlyText && parts.length === 1 ? (parts[0] as { text: string }).text : parts,
    });
  }
  return out;
}

function partOf(block: AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock): ContentPart {
  let part: ContentPart;
  if (block.type === 'text') part = { type: 'text', text: block.text };
  else if (block.type === 'image')
    part = { type: 'image_url', image_url: { url: urlFromImageSource(block.source) } };
  // A PDF goes as OpenAI's file part; a plain-text document is text to any model.
  else if (block.source.type === 'text') part = { type: 'text', text: block.source.data };
  else {
    // OpenAI wants a file name beside file_data.
    const filename = block.title ?? 'document.pdf';
    part = { type: 'file', file: { filename, file_data: fileDataFromDocumentSource(block.source) } };
  }
  if (block.cache_control !== undefined) part.cache_control = block.cache_control;
  return part;
}
