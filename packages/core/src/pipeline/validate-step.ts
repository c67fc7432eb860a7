// Step `validate`: parses the body in the caller's protocol and checks the model exists and the caller may use it.
import { GwError } from '@gw/errors';
import { assertModelAllowed } from '../auth/authenticate.ts';
import { visibleGroups } from '../auth/visible-groups.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { SyncStep } from './hooks.ts';

export function validateStep(runtime: GatewayRuntime): SyncStep {
  const { parts, groups, groupSet } = runtime;
  return (ctx) => {
    const request = parts.protocols[ctx.operation].parse(ctx.body);
    ctx.request = request;
    ctx.stream = request.stream === true;
    const model = request.model;
    if (typeof model === 'string') ctx.modelGroup = model;
    if (ctx.modelGroup === undefined) return;
    if (!groupSet.has(ctx.modelGroup)) {
      // Only the groups this key may use: a key limited to some groups learns nothing of the rest.
      const visible = visibleGroups(ctx.principal, groups);
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
