// POST /v1/chat/completions (and Azure's deployment route): the JSON reply and the chunk stream.
import type { Exchange } from './exchange.ts';
import { isStreaming, unixSeconds } from './exchange.ts';
import { sendJson } from './http-reply.ts';
import { planReply, promptTextOf, type ReplyPlan, type StopReason } from './reply-plan.ts';
import { dataFrame, playStream, type SseScript } from './sse-stream.ts';

const fingerprint = 'fp_mock0001';

export function finishReasonOf(reason: StopReason): string {
  if (reason === 'stop_sequence') return 'stop';
  return reason;
}

export function stopSequencesOf(stop: unknown): string[] {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((item): item is string => typeof item === 'string');
  return [];
}

function maxTokensOf(body: Record<string, unknown>): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

export function openAIUsage(plan: ReplyPlan): Record<string, unknown> {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
    prompt_tokens_details: { cached_tokens: plan.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const safeFilter = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

export function azurePromptFilterResults(): unknown[] {
  return [{ prompt_index: 0, content_filter_results: safeFilter }];
}

function planFor(exchange: Exchange): ReplyPlan {
  const { body } = exchange;
  return planReply(exchange.scenario, {
    promptText: promptTextOf(body.messages),
    maxTokens: maxTokensOf(body),
    stopSequences: stopSequencesOf(body.stop),
    toolCallId: exchange.nextId('call_'),
  });
}

function responseModel(exchange: Exchange): string {
  const model = exchange.body.model;
  return typeof model === 'string' ? model : (exchange.model ?? 'gpt-4o-mini');
}

function completionJson(exchange: Exchange, plan: ReplyPlan, id: string): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: plan.text === '' && plan.toolCall !== undefined ? null : plan.text,
    refusal: null,
    annotations: [],
  };
  if (plan.toolCall !== undefined) {
    message.tool_calls = [
      {
        id: plan.toolCall.id,
        type: 'function',
        function: { name: plan.toolCall.name, arguments: plan.toolCall.arguments },
      },
    ];
  }
  const choice: Record<string, unknown> = {
    index: 0,
    message,
    logprobs: null,
    finish_reason: finishReasonOf(plan.stopReason),
  };
  const azure = exchange.dialect === 'azure';
  if (azure) choice.content_filter_results = safeFilter;
  const json: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created: unixSeconds(exchange),
    model: responseModel(exchange),
    choices: [choice],
    usage: openAIUsage(plan),
    service_tier: 'default',
    system_fingerprint: fingerprint,
  };
  if (azure) json.prompt_filter_results = azurePromptFilterResults();
  return json;
}

function chunkScript(exchange: Exchange, plan: ReplyPlan, id: string): SseScript {
  const includeUsage =
    (exchange.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const created = unixSeconds(exchange);
  const model = responseModel(exchange);
  const chunk = (choices: unknown[], usage?: unknown): string => {
    const value: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices,
    };
    if (includeUsage) value.usage = usage ?? null;
    return dataFrame(value);
  };
  const delta = (value: Record<string, unknown>, finish: string | null = null): string =>
    chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

  const head: string[] = [];
  if (exchange.dialect === 'azure') {
    // Azure opens every stream with a chunk carrying only the prompt filter results.
    head.push(
      dataFrame({
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: azurePromptFilterResults(),
      }),
    );
  }
  const tool = plan.toolCall;
  const toolHeader = tool && {
    tool_calls: [{ index: 0, id: tool.id, type: 'function', function: { name: tool.name, arguments: '' } }],
  };
  const textFirst = plan.textChunks.length > 0 || tool === undefined;
  head.push(
    delta(
      textFirst
        ? { role: 'assistant', content: '', refusal: null }
        : { role: 'assistant', content: null, ...toolHeader, refusal: null },
    ),
  );
  const content = plan.textChunks.map((piece) => delta({ content: piece }));
  if (tool !== undefined) {
    const argumentFrames = tool.argumentChunks.map((piece) =>
      delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
    );
    if (textFirst) argumentFrames[0] = delta({ ...toolHeader }) + (argumentFrames[0] ?? '');
    content.push(...argumentFrames);
  }
  const tail = [delta({}, finishReasonOf(plan.stopReason))];
  if (includeUsage) tail.push(chunk([], openAIUsage(plan)));
  return {
    head,
    content,
    tail,
    terminator: 'data: [DONE]\n\n',
    malformed: `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\n\n`,
    error: (_type, message) =>
      dataFrame({
        error: {
          message: message ?? 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          param: null,
          code: null,
        },
      }),
  };
}

export function answerChat(exchange: Exchange): Promise<void> {
  const plan = planFor(exchange);
  const id = exchange.nextId('chatcmpl-');
  if (isStreaming(exchange)) return playStream(exchange, chunkScript(exchange, plan, id));
  return sendJson(exchange, 200, completionJson(exchange, plan, id));
}
