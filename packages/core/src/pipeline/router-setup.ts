// Builds the @gw/router options from the gateway config: deployments, strategy, retries, fallbacks, breakers.
import {
  type BreakerOptions,
  type BreakerStore,
  type Deployment,
  type ErrorClass,
  type RetryRule,
  type RouterOptions,
  resolveRetryPolicy,
  type StrategyName,
} from '@gw/router';
import type { DeploymentConfig, GatewayConfig, RoutingStrategy } from '../config/gateway-config.ts';
import type { ErrorClassCounts } from '../config/litellm-error-policies.ts';

/**
 * `contextWindowChecks` is LiteLLM's `enable_pre_call_checks`: only then are deployments whose context window is
 * too small for the prompt skipped before the call (otherwise the upstream's own error reaches the fallbacks).
 */
export function toRouterDeployment(
  deployment: DeploymentConfig,
  assistantPrefill: boolean,
  contextWindowChecks: boolean,
): Deployment {
  const routed: Deployment = {
    id: deployment.id,
    modelGroup: deployment.modelName,
    provider: deployment.provider,
    model: deployment.model,
  };
  if (deployment.weight !== undefined) routed.weight = deployment.weight;
  if (deployment.rpm !== undefined) routed.rpm = deployment.rpm;
  if (deployment.tpm !== undefined) routed.tpm = deployment.tpm;
  if (deployment.maxParallelRequests !== undefined)
    routed.maxParallelRequests = deployment.maxParallelRequests;
  if (deployment.order !== undefined) routed.order = deployment.order;
  const info = deployment.info;
  if (contextWindowChecks) {
    if (info.maxInputTokens !== undefined) routed.maxInputTokens = info.maxInputTokens;
    if (info.maxOutputTokens !== undefined) routed.maxOutputTokens = info.maxOutputTokens;
  }
  if (info.inputCostPerToken !== undefined) routed.inputCostPerToken = info.inputCostPerToken;
  if (info.outputCostPerToken !== undefined) routed.outputCostPerToken = info.outputCostPerToken;
  routed.capabilities = { assistantPrefill };
  if (info.supports.function_calling === false || info.supports.tool_choice === false) {
    routed.capabilities.tools = false;
  }
  if (info.supports.vision === false) routed.capabilities.vision = false;
  return routed;
}

function strategyName(strategy: RoutingStrategy): StrategyName {
  return strategy === 'usage-based-routing-v2' ? 'usage-based-routing' : strategy;
}

/**
 * A LiteLLM retry policy's counts as router rules: each class keeps its default path once its retries are spent
 * (fallback groups for transient failures, straight back to the caller for a bad request).
 */
function retryRules(numRetries: number, counts: ErrorClassCounts): Partial<Record<ErrorClass, RetryRule>> {
  const defaults = resolveRetryPolicy(numRetries);
  const rules: Partial<Record<ErrorClass, RetryRule>> = {};
  for (const [errorClass, retries] of Object.entries(counts) as [ErrorClass, number][]) {
    rules[errorClass] = { retries, fallback: defaults[errorClass].fallback };
  }
  return rules;
}

export interface RouterSetupOptions {
  deployments: Deployment[];
  breakerStore?: BreakerStore;
  clock?: () => number;
}

export function routerOptions(config: GatewayConfig, setup: RouterSetupOptions): RouterOptions {
  const router = config.router;
  const fallbacks = { ...router.fallbacks };
  if (router.defaultFallbacks.length > 0 && fallbacks['*'] === undefined)
    fallbacks['*'] = router.defaultFallbacks;
  const breaker: BreakerOptions = {
    consecutiveFailures: router.allowedFails,
    cooldownMs: router.cooldownTimeMs,
  };
  if (router.allowedFailsPolicy !== undefined) breaker.allowedFails = router.allowedFailsPolicy;
  const options: RouterOptions = {
    deployments: setup.deployments,
    strategy: strategyName(router.routingStrategy),
    numRetries: router.numRetries,
    fallbacks,
    contextWindowFallbacks: router.contextWindowFallbacks,
    contentPolicyFallbacks: router.contentPolicyFallbacks,
    breaker,
  };
  if (router.retryPolicy !== undefined)
    options.retryPolicy = retryRules(router.numRetries, router.retryPolicy);
  const groupPolicies = Object.entries(router.groupRetryPolicies).filter(([group]) =>
    setup.deployments.some((deployment) => deployment.modelGroup === group),
  );
  if (groupPolicies.length > 0) {
    options.groupRetryPolicies = Object.fromEntries(
      groupPolicies.map(([group, counts]) => [group, retryRules(router.numRetries, counts)]),
    );
  }

  // LiteLLM's retry_after is the least wait before a retry: it becomes the backoff base.
  if (router.retryAfterMs > 0)
    options.backoff = { baseMs: router.retryAfterMs, maxMs: Math.max(5_000, router.retryAfterMs * 4) };
  if (router.timeoutMs !== undefined) options.deadlineMs = router.timeoutMs;
  if (router.streamTimeoutMs !== undefined) options.ttftTimeoutMs = router.streamTimeoutMs;
  if (setup.breakerStore !== undefined) options.breakerStore = setup.breakerStore;
  if (setup.clock !== undefined) options.clock = setup.clock;
  return options;
}
