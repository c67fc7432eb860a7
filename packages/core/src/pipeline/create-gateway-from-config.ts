// createGateway: the batteries-included gateway on gw's providers, @gw/pool, @gw/tokens and @gw/ratelimit stores.

import { createUpstreamPool, type UpstreamPool, type UpstreamPoolOptions } from '@gw/pool';
import { createMemoryStore, createRedisStore } from '@gw/ratelimit';
import {
  type BreakerStore,
  createMemoryBreakerStore,
  createRedisBreakerStore,
  type RouterOptions,
} from '@gw/router';
import { prepareEncodings } from '@gw/tokens';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway-config.ts';
import { warmValidators } from '../ingress/warm-validators.ts';
import { createLogger } from '../logging/create-logger.ts';
import { createThrottledWarning } from '../logging/throttled-warning.ts';
import type { Provider } from '../types/provider.ts';
import { createGatewayCore, type Gateway } from './create-gateway.ts';
import { defaultResolveProvider, defaultValidate } from './default-wiring.ts';
import type { Hooks } from './hooks.ts';
import { ingressProtocols, type RequestValidator } from './ingress-protocols.ts';
import { countOutputText, countPromptTokens } from './prompt-tokens.ts';
import { createProviderUpstream } from './provider-upstream.ts';
import { createStoreLimits } from './store-limits.ts';

export interface GatewayOptions {
  config: GatewayConfig;
  /** The upstream connection pool; one is created (and closed with the gateway) when omitted. */
  pool?: UpstreamPool;
  /** An ioredis client for limits and breaker state shared between gateway instances; owned by the caller. */
  redis?: Redis;
  logger?: Logger;
  hooks?: Hooks;
  /** Milliseconds since the epoch, for the memory limiter and the router; tests inject theirs. */
  clock?: () => number;
  /** Key prefix in Redis, so several gateways (or tests) can share one server. Default `gw_settings.redis_prefix`. */
  redisPrefix?: string;
  /** Provider lookup; gw's registry by default. */
  resolveProvider?: (name: string) => Provider | undefined;
  /** Request validation per operation (zod); gw's ingress validators by default. */
  validate?: RequestValidator;
  /** Router settings beyond the config's (timers, sleep, retry policy, health checks...), applied last. */
  routerOptions?: Partial<RouterOptions>;
}

/** The per-origin limits `gw_settings` may set; unset ones keep the pool's defaults. */
export function poolOptionsOf(config: GatewayConfig): UpstreamPoolOptions {
  const options: UpstreamPoolOptions = {};
  if (config.gw.upstreamConnections !== undefined) options.connections = config.gw.upstreamConnections;
  if (config.gw.upstreamMaxQueued !== undefined) options.maxQueued = config.gw.upstreamMaxQueued;
  return options;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.gw.logLevel });
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? createUpstreamPool(poolOptionsOf(config));
  const prefix = options.redisPrefix ?? config.gw.redisPrefix;
  const redis = options.redis;
  const resolveProvider = options.resolveProvider ?? defaultResolveProvider;
  const validate = options.validate ?? defaultValidate;

  let lastStoreFailure = 0;
  let limits: ReturnType<typeof createStoreLimits>;
  let breakerStore: BreakerStore;
  if (redis !== undefined) {
    const warnLimiterStore = createThrottledWarning(logger, 'rate limit store (redis) failed');
    const store = createRedisStore({
      client: redis,
      prefix: `${prefix}rl:`,
      failurePolicy: config.gw.failurePolicy,
      onFailure: (error) => {
        lastStoreFailure = Date.now();
        warnLimiterStore(error, { policy: config.gw.failurePolicy });
      },
    });
    limits = createStoreLimits({
      store,
      storeUp: () => (Date.now() - lastStoreFailure < 5000 ? 0 : 1),
      global: config.globalLimits,
    });
    breakerStore = createRedisBreakerStore({
      client: redis,
      prefix: `${prefix}router`,
      onError: createThrottledWarning(logger, 'breaker store (redis) failed'),
    });
  } else {
    const store = createMemoryStore(options.clock === undefined ? {} : { clock: options.clock });
    limits = createStoreLimits({ store, global: config.globalLimits });
    breakerStore = createMemoryBreakerStore();
  }

  // Token counting uses the upstream model's encoding; a group's first deployment stands for the group.
  const groupModel = new Map<string, string>();
  for (const deployment of config.deployments) {
    if (!groupModel.has(deployment.modelName)) {
      groupModel.set(deployment.modelName, deployment.info.baseModel ?? deployment.model);
    }
  }
  // Built now, not inside the first request that counts: o200k_base's table alone blocks the event loop for tens
  // of milliseconds, which that request and every request queued behind it would wait for.
  if (config.gw.countTokens) prepareEncodings(groupModel.values());
  // The same for gw's own validators (a caller's are left alone: warming them could have effects of its own).
  if (options.validate === undefined) warmValidators();

  const gateway = createGatewayCore({
    config,
    logger,
    breakerStore,
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(redis === undefined ? {} : { redis }),
    ...(options.routerOptions === undefined ? {} : { routerOptions: options.routerOptions }),
    isProviderAvailable: (deployment) => resolveProvider(deployment.provider) !== undefined,
    parts: {
      protocols: ingressProtocols(validate),
      upstream: createProviderUpstream({ resolveProvider, pool, dropParams: config.dropParams, logger }),
      limits,
      countPromptTokens: (request, operation) =>
        countPromptTokens(request, operation, groupModel.get(String(request.model)) ?? String(request.model)),
      countText: countOutputText,
    },
  });
  const close = gateway.close;
  return Object.assign(gateway, {
    async close() {
      await close();
      await breakerStore.close();
      if (ownPool) await pool.close();
    },
  });
}
