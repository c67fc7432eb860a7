// The configured deployments the gateway can call: those whose provider is missing are skipped with a warning.
import type { Logger } from 'pino';
import type { DeploymentConfig } from '../config/gateway-config.ts';

export function availableDeployments(
  deployments: readonly DeploymentConfig[],
  isAvailable: (deployment: DeploymentConfig) => boolean,
  logger: Logger,
): Map<string, DeploymentConfig> {
  const byId = new Map<string, DeploymentConfig>();
  for (const deployment of deployments) {
    if (!isAvailable(deployment)) {
      logger.warn(
        { deployment: deployment.id, provider: deployment.provider },
        'no provider for deployment, skipped',
      );
      continue;
    }
    byId.set(deployment.id, deployment);
  }
  return byId;
}
