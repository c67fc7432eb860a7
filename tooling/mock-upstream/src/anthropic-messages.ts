// POST /v1/messages: Anthropic's JSON message and its named-event stream, including in-stream error events.
import type { Exchange } from './exchange.ts';
import { isStreaming } from './exchange.ts';
import { sendJson } from './http-reply.ts';
import { planReply, promptTextOf, type ReplyPlan, type StopReason } from './reply-plan.ts';
import { eventFrame, playStream, type SseScript } from './sse-stream.ts';

function stopReasonOf(reason: StopReason): string {
  if (reason === 'stop') return 'end_turn';
  if (reason === 'length') return 'max_tokens';
  if (reason === 'tool_calls') return 'tool_use';
  return 'stop_sequence';
}

function stopSequencesOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function planFor(exchange: Exchange): ReplyPlan {
  const { body } = exchange;
  return planReply(exchange.scenario, {
    promptText: `${promptTextOf(body.system)} ${promptTextOf(body.messages)}`.trim(),
    maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
    stopSequences: stopSequencesOf(body.stop_sequences),
    toolCallId: exchange.nextId('toolu_'),
  });
}

function usageOf(plan: ReplyPlan, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: plan.promptTokens,
    cache_creation_input_tokens: plan.cacheCreationTokens,
    cache_read_input_tokens: plan.cachedTokens,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function hasTextBlock(plan: ReplyPlan): boolean {
  return plan.text !== '' || plan.toolCall === undefined;
}

function toolInput(plan: ReplyPlan): unknown {
  try {
    return JSON.parse(plan.toolCall?.arguments || '{}');
  } catch {
    return {};
  }
}

function messageJson(exchange: Exchange, plan: ReplyPlan, id: string): Record<string, unknown> {
  const content: unknown[] = [];
  if (hasTextBlock(plan)) content.push({ type: 'text', text: plan.text });
  if (plan.toolCall !== undefined) {
    content.push({
      type: 'tool_use',
      id: plan.toolCall.id,
      name: plan.toolCall.name,
      input: toolInput(plan),
    });
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: exchange.body.model,
    content,
    stop_reason: stopReasonOf(plan.stopReason),
    stop_sequence: plan.stopSequence ?? null,
    usage: usageOf(plan, plan.completionTokens),
  };
}

function eventScript(exchange: Exchange, plan: ReplyPlan, id: string): SseScript {
  const textBlock = hasTextBlock(plan);
  const head = [
    eventFrame('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: exchange.body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageOf(plan, 1),
      },
    }),
  ];
  if (textBlock) {
    head.push(
      eventFrame('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    );
  }
  head.push('event: ping\ndata: {"type": "ping"}\n\n');

  const content = plan.textChunks.map((text) =>
    eventFrame('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text },
    }),
  );
  let lastIndex = 0;
  const tool = plan.toolCall;
  if (tool !== undefined) {
    const index = textBlock ? 1 : 0;
    lastIndex = index;
    const opening =
      (textBlock ? eventFrame('content_block_stop', { type: 'content_block_stop', index: 0 }) : '') +
      eventFrame('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} },
      }) +
      eventFrame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: '' },
      });
    const frames = tool.argumentChunks.map((partial_json) =>
      eventFrame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json },
      }),
    );
    frames[0] = opening + (frames[0] ?? '');
    content.push(...frames);
  }
  const tail = [
    eventFrame('content_block_stop', { type: 'content_block_stop', index: lastIndex }),
    eventFrame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(plan.stopReason), stop_sequence: plan.stopSequence ?? null },
      usage: { output_tokens: plan.completionTokens },
    }),
  ];
  return {
    head,
    content,
    tail,
    terminator: eventFrame('message_stop', { type: 'message_stop' }),
    malformed:
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n',
    error: (type, message) =>
      eventFrame('error', {
        type: 'error',
        error: { type: type ?? 'overloaded_error', message: message ?? 'Overloaded' },
        request_id: exchange.requestId,
      }),
  };
}

export function answerMessages(exchange: Exchange): Promise<void> {
  const plan = planFor(exchange);
  const id = exchange.nextId('msg_');
  if (isStreaming(exchange)) return playStream(exchange, eventScript(exchange, plan, id));
  return sendJson(exchange, 200, messageJson(exchange, plan, id));
}
