// Pre-call checks: whether a deployment can take this request at all (context window, capabilities, limits).
import type { Deployment, DeploymentCapabilities } from './deployment.ts';
import type { DeploymentStats } from './deployment-stats.ts';
import type { UsageSource } from './usage-source.ts';

export function fitsContextWindow(deployment: Deployment, promptTokens: number, maxTokens?: number): boolean {
  if (deployment.maxInputTokens !== undefined && promptTokens > deployment.maxInputTokens) return false;
  if (
    deployment.maxOutputTokens !== undefined &&
    maxTokens !== undefined &&
    maxTokens > deployment.maxOutputTokens
  ) {
    return false;
  }
  return true;
}

/** Only an explicit `false` rules a deployment out: unknown capabilities are assumed present. */
export function hasCapabilities(
  deployment: Deployment,
  requires: DeploymentCapabilities | undefined,
): boolean {
  if (requires === undefined) return true;
  const capabilities = deployment.capabilities;
  if (capabilities === undefined) return true;
  if (requires.tools === true && capabilities.tools === false) return false;
  if (requires.vision === true && capabilities.vision === false) return false;
  if (requires.assistantPrefill === true && capabilities.assistantPrefill === false) return false;
  return true;
}

/** rpm, tpm and parallel-request limits, against the usage of the current minute. */
export function underLimits(
  stats: DeploymentStats,
  usage: UsageSource,
  now: number,
  promptTokens: number,
): boolean {
  const deployment = stats.deployment;
  if (deployment.maxParallelRequests !== undefined && stats.inFlight >= deployment.maxParallelRequests)
    return false;
  if (deployment.rpm !== undefined && usage.requests(deployment.id, now) >= deployment.rpm) return false;
  if (deployment.tpm !== undefined && usage.tokens(deployment.id, now) + promptTokens > deployment.tpm)
    return false;
  return true;
}
