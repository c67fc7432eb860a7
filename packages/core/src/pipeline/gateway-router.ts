// The gateway's router over its deployments, and the time same-deployment retries wait on (the router's own).
import { type BreakerStore, createRouter, createSleep, type Router, type RouterOptions } from '@gw/router';
import type { DeploymentConfig, GatewayConfig } from '../config/gateway-config.ts';
import type { RetryTiming } from './call-step.ts';
import type { GatewayParts } from './gateway-parts.ts';
import { healthCheckOptions } from './health-probe.ts';
import { type RouterSetupOptions, routerOptions, toRouterDeployment } from './router-setup.ts';
import { unrefTimers } from './unref-timers.ts';

export interface GatewayRouterOptions {
  breakerStore?: BreakerStore;
  clock?: () => number;
  /** Applied last, over the config's settings. */
  overrides?: Partial<RouterOptions>;
}

export function createGatewayRouter(
  config: GatewayConfig,
  deployments: ReadonlyMap<string, DeploymentConfig>,
  upstream: GatewayParts['upstream'],
  options: GatewayRouterOptions,
): { router: Router; retryTiming: RetryTiming } {
  const routed = [...deployments.values()].map((deployment) =>
    toRouterDeployment(deployment, upstream.supportsPrefill(deployment), config.router.enablePreCallChecks),
  );
  const setup: RouterSetupOptions = { deployments: routed };
  if (options.breakerStore !== undefined) setup.breakerStore = options.breakerStore;
  if (options.clock !== undefined) setup.clock = options.clock;
  const overrides = options.overrides;
  const healthCheck =
    config.healthChecks === undefined
      ? {}
      : { healthCheck: healthCheckOptions(config.healthChecks.intervalMs, deployments, upstream) };
  // retryAfterCapMs 0: like LiteLLM, a group whose deployments all cool down answers 429 at once, never holds the call.
  const router = createRouter({
    ...routerOptions(config, setup),
    ...healthCheck,
    retryAfterCapMs: 0,
    ...overrides,
  });
  const retryTiming: RetryTiming = {
    sleep: overrides?.sleep ?? createSleep(overrides?.timers ?? unrefTimers),
    random: overrides?.random ?? Math.random,
  };
  return { router, retryTiming };
}
