// Step after a successful route: the answer in the caller's protocol, JSON at once or the relayed stream.
import { performance } from 'node:perf_hooks';
import { countedUsage } from './counted-usage.ts';
import type { FinishRequest } from './finish-request.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { MaybeAsyncStep } from './hooks.ts';
import type { GatewayResponse, PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { respondStream } from './respond-stream.ts';
import { gatewayHeaders } from './response-headers.ts';
import { choiceText } from './stream-relay.ts';

export type Respond = (ctx: PipelineContext, started: number) => Promise<GatewayResponse>;

/** `reconcile` runs the account step and settles the limits (see reconcile-usage.ts). */
export function respond(runtime: GatewayRuntime, reconcile: MaybeAsyncStep, finish: FinishRequest): Respond {
  const { protocols, countText } = runtime.parts;
  const stream = respondStream(runtime, reconcile, finish);
  return async (ctx, started) => {
    const outcome = scratchOf(ctx).callResult!;
    if (outcome.kind === 'stream') return stream(ctx, started);
    ctx.usage = outcome.usage;
    // As for streams: an upstream that reports no usage (older vLLM, Ollama) is still billed and counted.
    if (ctx.usage === undefined) {
      ctx.usage = countedUsage(ctx, answerText(outcome.response), countText);
      ctx.usageCounted = true;
    }
    const reconciling = reconcile(ctx);
    if (reconciling !== undefined) await reconciling;
    const body = protocols[ctx.operation].formatResponse(outcome.response, ctx.modelGroup!);
    const overheadMs = performance.now() - started - scratchOf(ctx).upstreamMs;
    ctx.response = { status: 200, headers: gatewayHeaders(ctx, overheadMs), body };
    finish(ctx, started, 200);
    return ctx.response;
  };
}

/** The text of a JSON answer's choices (chat messages or legacy completions), for gw's own count. */
function answerText(response: unknown): string {
  const choices = (response as { choices?: unknown } | null)?.choices;
  return Array.isArray(choices) ? choices.map(choiceText).join('') : '';
}
