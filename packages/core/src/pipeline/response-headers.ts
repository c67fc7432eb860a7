// The gw response headers every answer carries: request id, routing facts, overhead and cost.
import { formatCost } from '../cost/cost-of.ts';
import type { PipelineContext } from './pipeline-context.ts';

export function gatewayHeaders(ctx: PipelineContext, overheadMs: number): Record<string, string> {
  const headers = ctx.responseHeaders;
  headers['x-request-id'] = ctx.requestId;
  if (ctx.servedGroup !== undefined) headers['x-gw-model-group'] = ctx.servedGroup;
  else if (ctx.modelGroup !== undefined) headers['x-gw-model-group'] = ctx.modelGroup;
  if (ctx.deployment !== undefined) headers['x-gw-deployment'] = ctx.deployment.id;
  if (ctx.attempts > 0) headers['x-gw-attempts'] = String(ctx.attempts);
  headers['x-gw-overhead-ms'] = overheadMs.toFixed(3);
  if (ctx.costUsd !== undefined) headers['x-gw-cost'] = formatCost(ctx.costUsd);
  return headers;
}
