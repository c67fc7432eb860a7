// Per-deployment health from the router's state, and readiness (Redis reachable, something to route to).
import type { Router } from '@gw/router';
import type { Redis } from 'ioredis';
import type { DeploymentConfig } from '../config/gateway-config.ts';

export interface DeploymentHealth {
  id: string;
  modelGroup: string;
  provider: string;
  healthy: boolean;
  breaker: string;
  inFlight: number;
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
}

export function deploymentHealth(
  router: Router,
  deployments: ReadonlyMap<string, DeploymentConfig>,
): HealthReport {
  const healthy: DeploymentHealth[] = [];
  const unhealthy: DeploymentHealth[] = [];
  for (const deployment of router.state().deployments) {
    const entry: DeploymentHealth = {
      id: deployment.id,
      modelGroup: deployment.modelGroup,
      provider: deployments.get(deployment.id)?.provider ?? 'unknown',
      healthy: deployment.breaker !== 'open',
      breaker: deployment.breaker,
      inFlight: deployment.inFlight,
    };
    if (deployment.latencyMs !== undefined) entry.latencyMs = deployment.latencyMs;
    if (deployment.ttftMs !== undefined) entry.ttftMs = deployment.ttftMs;
    if (deployment.openReason !== undefined) entry.openReason = deployment.openReason;
    (entry.healthy ? healthy : unhealthy).push(entry);
  }
  return { healthy, unhealthy };
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
