// Step `account`: the answer's cost from its usage, and the usage reported to the router (usage-based routing).
import { upstreamModelName } from '../config/wildcard-model.ts';
import { deploymentCost } from '../cost/deployment-cost.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { SyncStep } from './hooks.ts';

export function accountStep(runtime: GatewayRuntime): SyncStep {
  const router = runtime.router;
  return (ctx) => {
    const usage = ctx.usage;
    const deployment = ctx.deployment;
    if (usage === undefined || deployment === undefined) return;
    // Billed to the model that answered: after a fallback that is the fallback deployment's model.
    ctx.costUsd = deploymentCost(
      deployment,
      usage,
      upstreamModelName(deployment.model, deployment.modelName, ctx.request?.model),
    );
    router.reportUsage(deployment.id, {
      promptTokens: usage.inputTokens,
      completionTokens: usage.outputTokens,
    });
  };
}
