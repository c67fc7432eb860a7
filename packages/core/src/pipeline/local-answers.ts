// Operations the gateway answers itself, with no upstream call: the model list and token counting.
import { visibleModels } from '../auth/visible-groups.ts';
import type { ModelGroupAlias } from '../config/gateway-config.ts';
import { countTokensResponse, modelsListResponse } from '../ingress/list-responses.ts';
import type { GatewayJsonResponse, Operation, PipelineContext } from './pipeline-context.ts';

/** Answered right after `authenticate`: they name no model. */
export const MODEL_FREE: ReadonlySet<Operation> = new Set(['models']);

/** The groups this caller may use. */
export function modelListAnswer(
  ctx: PipelineContext,
  groups: readonly string[],
  aliases: ReadonlyMap<string, ModelGroupAlias>,
): GatewayJsonResponse {
  return {
    status: 200,
    headers: ctx.responseHeaders,
    body: modelsListResponse(visibleModels(ctx.principal, groups, aliases)),
  };
}

/** Answered after `countTokens`. */
export function countTokensAnswer(ctx: PipelineContext): GatewayJsonResponse {
  return { status: 200, headers: ctx.responseHeaders, body: countTokensResponse(ctx.promptTokens ?? 0) };
}
