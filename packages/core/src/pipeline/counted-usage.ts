// gw's own count of an answer the upstream reported no usage for: the prompt as counted, the answer's text.
import type { TokenUsage } from '../cost/cost-of.ts';
import type { PipelineContext } from './pipeline-context.ts';

export function countedUsage(
  ctx: PipelineContext,
  answerText: string,
  countText: (text: string, model: string) => number,
): TokenUsage {
  return {
    inputTokens: ctx.promptTokens ?? 0,
    outputTokens: answerText === '' ? 0 : countText(answerText, ctx.deployment?.model ?? ''),
  };
}
