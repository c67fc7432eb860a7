// LiteLLM's background health checks: the smallest real call a deployment answers, one token or one embedding.
import type { Deployment, HealthCheckOptions } from '@gw/router';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { CanonicalRequest, UpstreamCaller } from './seams.ts';

/** A probe answered within this long or counted as a timeout, however long the interval. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Probes go through the same upstream caller as traffic, so their failures are classified like real ones and feed
 * the same breakers. A wildcard deployment has no model of its own to ask for: real traffic alone judges it.
 */
export function healthCheckOptions(
  intervalMs: number,
  deployments: ReadonlyMap<string, DeploymentConfig>,
  upstream: UpstreamCaller,
): HealthCheckOptions {
  return {
    intervalMs,
    timeoutMs: Math.min(intervalMs, PROBE_TIMEOUT_MS),
    includes: (deployment: Deployment) => !(deployments.get(deployment.id)?.model.includes('*') ?? true),
    probe: async (deployment, signal) => {
      const config = deployments.get(deployment.id)!;
      const embedding = config.info.mode === 'embedding';
      const body: CanonicalRequest = embedding
        ? { model: config.modelName, input: 'ping' }
        : { model: config.modelName, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 };
      await upstream.send(config, embedding ? 'embeddings' : 'chat', body, signal, undefined);
    },
  };
}
