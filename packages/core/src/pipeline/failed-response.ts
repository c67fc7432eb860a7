// The answer to a request that failed anywhere in the pipeline: the error in the caller's protocol, with its
// limit and Retry-After headers, logged and counted.
import { performance } from 'node:perf_hooks';
import { toFailure } from './error-status.ts';
import type { FinishRequest } from './finish-request.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { GatewayResponse, PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { gatewayHeaders } from './response-headers.ts';
import { endStreamSignal } from './stream-signal.ts';

export type FailedResponse = (ctx: PipelineContext, thrown: unknown, started: number) => GatewayResponse;

export function failedResponse(runtime: GatewayRuntime, finish: FinishRequest): FailedResponse {
  const { parts, logger, metrics, metricsOn } = runtime;
  return (ctx, thrown, started) => {
    scratchOf(ctx).grant?.release();
    // A stream opened before the failure is dropped: its link to the caller's signal goes with it.
    endStreamSignal(ctx);
    const failure = toFailure(thrown);
    const formatted = parts.protocols[ctx.operation].formatError(failure.error);
    const headers = ctx.responseHeaders;
    const limitHeaders = failure.error.details?.headers;
    if (limitHeaders !== null && typeof limitHeaders === 'object') Object.assign(headers, limitHeaders);
    if (failure.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000)));
    if (failure.error.status >= 500) {
      logger.error(
        { requestId: ctx.requestId, code: failure.error.code, errorClass: failure.errorClass, err: thrown },
        'request failed',
      );
    } else {
      logger.info(
        { requestId: ctx.requestId, code: failure.error.code, status: failure.error.status },
        'request refused',
      );
    }
    if (failure.error.status === 429 && metricsOn)
      metrics.rateLimited(String(failure.error.details?.scope ?? 'upstream'));
    finish(ctx, started, formatted.status, failure.errorClass);
    gatewayHeaders(ctx, performance.now() - started - scratchOf(ctx).upstreamMs);
    ctx.response = { status: formatted.status, headers, body: formatted.body };
    return ctx.response;
  };
}
