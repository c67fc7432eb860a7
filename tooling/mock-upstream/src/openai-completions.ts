// POST /v1/completions: the legacy text completion, JSON and stream.
import type { Exchange } from './exchange.ts';
import { isStreaming, unixSeconds } from './exchange.ts';
import { sendJson } from './http-reply.ts';
import { finishReasonOf, stopSequencesOf } from './openai-chat.ts';
import { planReply, promptTextOf, type ReplyPlan } from './reply-plan.ts';
import { dataFrame, playStream, type SseScript } from './sse-stream.ts';

/** The legacy endpoint's own default, which surprises people: 16 tokens. */
const defaultMaxTokens = 16;

function usageOf(plan: ReplyPlan): Record<string, number> {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
  };
}

function modelOf(exchange: Exchange): string {
  return typeof exchange.body.model === 'string'
    ? exchange.body.model
    : (exchange.model ?? 'gpt-3.5-turbo-instruct');
}

function script(exchange: Exchange, plan: ReplyPlan, id: string): SseScript {
  const created = unixSeconds(exchange);
  const model = modelOf(exchange);
  const includeUsage =
    (exchange.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const frame = (text: string, finish: string | null): string => {
    const value: Record<string, unknown> = {
      id,
      object: 'text_completion',
      created,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
      model,
      system_fingerprint: null,
    };
    if (includeUsage) value.usage = null;
    return dataFrame(value);
  };
  const tail = [frame('', finishReasonOf(plan.stopReason))];
  if (includeUsage) {
    tail.push(
      dataFrame({
        id,
        object: 'text_completion',
        created,
        choices: [],
        model,
        system_fingerprint: null,
        usage: usageOf(plan),
      }),
    );
  }
  return {
    head: [],
    content: plan.textChunks.map((text) => frame(text, null)),
    tail,
    terminator: 'data: [DONE]\n\n',
    malformed: `data: {"id":"${id}","object":"text_completion","choices":[{"text":"\n\n`,
    error: (_type, message) =>
      dataFrame({
        error: {
          message: message ?? 'The server had an error.',
          type: 'server_error',
          param: null,
          code: null,
        },
      }),
  };
}

export function answerCompletions(exchange: Exchange): Promise<void> {
  const { body } = exchange;
  const plan = planReply(
    { ...exchange.scenario, toolCall: undefined },
    {
      promptText: promptTextOf(body.prompt),
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : defaultMaxTokens,
      stopSequences: stopSequencesOf(body.stop),
      toolCallId: '',
    },
  );
  const id = exchange.nextId('cmpl-');
  if (isStreaming(exchange)) return playStream(exchange, script(exchange, plan, id));
  return sendJson(exchange, 200, {
    id,
    object: 'text_completion',
    created: unixSeconds(exchange),
    model: modelOf(exchange),
    choices: [{ text: plan.text, index: 0, logprobs: null, finish_reason: finishReasonOf(plan.stopReason) }],
    usage: usageOf(plan),
  });
}
