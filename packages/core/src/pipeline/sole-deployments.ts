// Groups served by one deployment with its own rpm/tpm and no fallbacks: their limits join the caller's decision.
import type { DeploymentConfig, GatewayConfig } from '../config/gateway-config.ts';

/**
 * Such a group's deployment rpm/tpm is checked in the caller's own limit decision (one round trip to Redis
 * instead of two); with fallbacks, a full deployment must instead let the router fall back.
 */
export function soleLimitedDeployments(
  groups: readonly string[],
  deployments: Iterable<DeploymentConfig>,
  config: GatewayConfig,
): Map<string, DeploymentConfig> {
  const members = new Map<string, DeploymentConfig[]>();
  for (const deployment of deployments) {
    const list = members.get(deployment.modelName);
    if (list === undefined) members.set(deployment.modelName, [deployment]);
    else list.push(deployment);
  }
  const sole = new Map<string, DeploymentConfig>();
  const anyFallbacks = config.router.defaultFallbacks.length > 0;
  for (const group of groups) {
    const list = members.get(group) ?? [];
    const only = list[0];
    const hasFallbacks = anyFallbacks || config.router.fallbacks[group] !== undefined;
    if (
      list.length === 1 &&
      only !== undefined &&
      (only.rpm !== undefined || only.tpm !== undefined) &&
      !hasFallbacks
    ) {
      sole.set(group, only);
    }
  }
  return sole;
}
