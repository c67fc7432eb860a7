// Step `validate`: parses the body in the caller's protocol and checks the model exists and the caller may use it.
import { GwError } from '@gw/errors';
import { assertModelAllowed } from '../auth/authenticate.ts';
import { mayUseName, visibleModels } from '../auth/visible-groups.ts';
import { matchModelPattern } from '../config/wildcard-model.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { SyncStep } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';

export function validateStep(runtime: GatewayRuntime): SyncStep {
  const { parts, groups, groupSet, aliases, patterns } = runtime;
  return (ctx) => {
    const request = parts.protocols[ctx.operation].parse(ctx.body);
    ctx.request = request;
    ctx.stream = request.stream === true;
    const model = request.model;
    if (typeof model === 'string') ctx.modelGroup = model;
    if (ctx.modelGroup === undefined) return;
    // As in LiteLLM, an alias wins over a group of the same name.
    const alias = aliases.size === 0 ? undefined : aliases.get(ctx.modelGroup);
    if (alias !== undefined) {
      servedBy(ctx, alias.group);
      return;
    }
    // A model no group is named for goes to the most specific pattern group that matches it (`openai/*`).
    const pattern =
      patterns.length === 0 || groupSet.has(ctx.modelGroup)
        ? undefined
        : matchModelPattern(patterns, ctx.modelGroup);
    if (pattern !== undefined) {
      servedBy(ctx, pattern);
      return;
    }
    if (!groupSet.has(ctx.modelGroup)) {
      // Only the models this key may use: a key limited to some groups learns nothing of the rest.
      const visible = visibleModels(ctx.principal, groups, aliases);
      throw new GwError({
        code: 'GW_ERR_MODEL_NOT_FOUND',
        message: `The model '${ctx.modelGroup}' does not exist on this gateway. Available: ${visible.join(', ') || 'none'}.`,
        status: 404,
        details: { param: 'model' },
      });
    }
    assertModelAllowed(ctx.principal!, ctx.modelGroup);
  };
}

/** The requested name stands for `group`: the caller may use it if its key lists the name or the group. */
function servedBy(ctx: PipelineContext, group: string): void {
  if (!mayUseName(ctx.principal, ctx.modelGroup!, group)) assertModelAllowed(ctx.principal!, ctx.modelGroup!);
  ctx.modelGroup = group;
}
