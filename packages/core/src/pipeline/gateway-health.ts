// Per-deployment health from the router's state, and readiness (Redis reachable, something to route to).
import type { DeploymentState, Router } from '@gw/router';
import type { Redis } from 'ioredis';
import type { DeploymentConfig } from '../config/gateway-config.ts';

export interface DeploymentHealth {
  id: string;
  modelGroup: string;
  provider: string;
  healthy: boolean;
  /** `cooling_down` is a breaker opened by a rate limit (LiteLLM's cooldown); `open` is any other failure. */
  state: 'healthy' | 'cooling_down' | 'open' | 'half_open';
  breaker: string;
  inFlight: number;
  rpmUsed: number;
  tpmUsed: number;
  latencyMs?: number;
  ttftMs?: number;
  openReason?: string;
}

export type Readiness = {
  ready: boolean;
  redis?: 'up' | 'down' | 'not configured';
  deployments: { total: number; healthy: number };
};

export interface HealthReport {
  healthy: DeploymentHealth[];
  unhealthy: DeploymentHealth[];
  /** Every deployment in config order, for tables such as `gw health`. */
  deployments: DeploymentHealth[];
}

function stateOf(deployment: DeploymentState): DeploymentHealth['state'] {
  if (deployment.breaker === 'half-open') return 'half_open';
  if (deployment.breaker !== 'open') return 'healthy';
  return deployment.openReason === 'rate_limit' ? 'cooling_down' : 'open';
}

export function deploymentHealth(
  router: Router,
  deployments: ReadonlyMap<string, DeploymentConfig>,
): HealthReport {
  const healthy: DeploymentHealth[] = [];
  const unhealthy: DeploymentHealth[] = [];
  const all: DeploymentHealth[] = [];
  for (const deployment of router.state().deployments) {
    const entry: DeploymentHealth = {
      id: deployment.id,
      modelGroup: deployment.modelGroup,
      provider: deployments.get(deployment.id)?.provider ?? 'unknown',
      healthy: deployment.breaker !== 'open',
      state: stateOf(deployment),
      breaker: deployment.breaker,
      inFlight: deployment.inFlight,
      rpmUsed: deployment.rpmUsed,
      tpmUsed: deployment.tpmUsed,
    };
    if (deployment.latencyMs !== undefined) entry.latencyMs = deployment.latencyMs;
    if (deployment.ttftMs !== undefined) entry.ttftMs = deployment.ttftMs;
    if (deployment.openReason !== undefined) entry.openReason = deployment.openReason;
    (entry.healthy ? healthy : unhealthy).push(entry);
    all.push(entry);
  }
  return { healthy, unhealthy, deployments: all };
}

/** Not ready with no healthy deployment, or with Redis down when limits fail closed. */
export async function gatewayReadiness(
  health: HealthReport,
  redis: Redis | undefined,
  failClosed: boolean,
): Promise<Readiness> {
  const { healthy, unhealthy } = health;
  const result: Readiness = {
    ready: healthy.length > 0 || unhealthy.length === 0,
    deployments: { total: healthy.length + unhealthy.length, healthy: healthy.length },
  };
  if (redis === undefined) {
    result.redis = 'not configured';
    return result;
  }
  try {
    await withTimeout(redis.ping(), 1000);
    result.redis = 'up';
  } catch {
    result.redis = 'down';
    if (failClosed) result.ready = false;
  }
  return result;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
