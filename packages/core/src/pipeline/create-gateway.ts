// Composes the gateway: authenticate, validate, count, reserve, route and call, respond, account; hooks around each.
import { performance } from 'node:perf_hooks';
import type { BreakerStore, Router, RouterOptions } from '@gw/router';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createAuthenticator } from '../auth/authenticate.ts';
import { visibleModels } from '../auth/visible-groups.ts';
import type { DeploymentConfig, GatewayConfig } from '../config/gateway-config.ts';
import { isModelPattern } from '../config/wildcard-model.ts';
import { createLogger } from '../logging/create-logger.ts';
import { requestIdFrom } from '../logging/request-id.ts';
import { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { accountStep } from './account-step.ts';
import { authenticateStep } from './authenticate-step.ts';
import { availableDeployments } from './available-deployments.ts';
import { callStep } from './call-step.ts';
import { countStep } from './count-step.ts';
import { failedResponse } from './failed-response.ts';
import { finishRequest } from './finish-request.ts';
import { deploymentHealth, gatewayReadiness, type HealthReport, type Readiness } from './gateway-health.ts';
import type { GatewayParts } from './gateway-parts.ts';
import { createGatewayRouter, type GatewayRouterOptions } from './gateway-router.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { type Hooks, type MaybeAsyncStep, withHooks, withHooksMaybeAsync } from './hooks.ts';
import { countTokensAnswer, MODEL_FREE, modelListAnswer } from './local-answers.ts';
import type { GatewayRequest, GatewayResponse, HeaderMap } from './pipeline-context.ts';
import { newContext, scratchOf } from './pipeline-scratch.ts';
import { reconcileUsage } from './reconcile-usage.ts';
import { reserveStep } from './reserve-step.ts';
import { respond } from './respond.ts';
import { gatewayHeaders } from './response-headers.ts';
import { routeStep } from './route-step.ts';
import { runInOrder } from './run-in-order.ts';
import { soleLimitedDeployments } from './sole-deployments.ts';
import { validateStep } from './validate-step.ts';

export type { DeploymentHealth, HealthReport, Readiness } from './gateway-health.ts';
export type { GatewayParts } from './gateway-parts.ts';

export interface GatewayCoreOptions {
  config: GatewayConfig;
  parts: GatewayParts;
  redis?: Redis;
  logger?: Logger;
  hooks?: Hooks;
  /** Wall clock in ms for routing and limits; tests inject theirs. */
  clock?: () => number;
  breakerStore?: BreakerStore;
  /** Router settings beyond the config's (timers, sleep, retry policy, health checks...), applied last. */
  routerOptions?: Partial<RouterOptions>;
  /** Deployments whose provider is unavailable, skipped with a warning. */
  isProviderAvailable?: (deployment: DeploymentConfig) => boolean;
}

export interface Gateway {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  health(): HealthReport;
  readiness(): Promise<Readiness>;
  metrics(): Promise<string>;
  readonly metricsContentType: string;
  /**
   * Model names the caller behind these headers may use: its groups and their aliases not hidden (every group,
   * without aliases, when omitted).
   */
  modelGroups(headers?: HeaderMap): string[];
  readonly config: GatewayConfig;
  readonly router: Router;
  close(): Promise<void>;
}

export function createGatewayCore(options: GatewayCoreOptions): Gateway {
  const { config, parts, hooks } = options;
  const logger = options.logger ?? createLogger({ level: config.gw.logLevel });
  const authenticate = createAuthenticator(config);
  const deployments = availableDeployments(
    config.deployments,
    options.isProviderAvailable ?? (() => true),
    logger,
  );
  const routerSetup: GatewayRouterOptions = {};
  if (options.breakerStore !== undefined) routerSetup.breakerStore = options.breakerStore;
  if (options.clock !== undefined) routerSetup.clock = options.clock;
  if (options.routerOptions !== undefined) routerSetup.overrides = options.routerOptions;
  const { router, retryTiming } = createGatewayRouter(config, deployments, parts.upstream, routerSetup);
  const groups = router.groups();
  const groupSet = new Set(groups);
  // An alias of a group without deployments here is left out: a request for it is an unknown model (404).
  const aliases = new Map(
    Object.entries(config.router.modelGroupAliases).filter(([, alias]) => groupSet.has(alias.group)),
  );
  const metrics = new GatewayMetrics({
    deploymentStates: () =>
      router.state().deployments.map((state) => ({
        deployment: state.id,
        modelGroup: state.modelGroup,
        available: state.breaker === 'open' ? 0 : 1,
        inFlight: state.inFlight,
      })),
    limiterStoreUp: () => parts.limits.storeUp(),
    ...(parts.limits.stats === undefined ? {} : { limiterStats: () => parts.limits.stats!() }),
  });
  const runtime: GatewayRuntime = {
    config,
    parts,
    logger,
    router,
    deployments,
    groups,
    groupSet,
    aliases,
    patterns: groups.filter(isModelPattern),
    metrics,
    metricsOn: config.gw.metrics,
  };

  // ---- the steps, each wrapped in its hooks ----------------------------------------------------------------
  // These three and `account` never wait, and `reserve` waits only for a remote store: without hooks they run
  // synchronously (see withHooksMaybeAsync).
  const authenticated = withHooksMaybeAsync('authenticate', authenticateStep(authenticate), hooks);
  const validated = withHooksMaybeAsync('validate', validateStep(runtime), hooks);
  const counted = withHooksMaybeAsync('countTokens', countStep(runtime), hooks);
  const soleDeployments = soleLimitedDeployments(groups, deployments.values(), config);
  const reserved = withHooksMaybeAsync('reserve', reserveStep(runtime, soleDeployments), hooks);
  const called = withHooks('call', callStep(parts, retryTiming), hooks);
  const routed = withHooks('route', routeStep(runtime, called), hooks);
  const accounted = withHooksMaybeAsync('account', accountStep(runtime), hooks);

  // A step that sets ctx.response answers the request (see runInOrder): the two local answers end it here.
  const steps: readonly MaybeAsyncStep[] = [
    authenticated,
    (ctx) => {
      if (MODEL_FREE.has(ctx.operation)) ctx.response = modelListAnswer(ctx, groups, aliases);
      return undefined;
    },
    validated,
    counted,
    (ctx) => {
      if (ctx.operation === 'count_tokens') ctx.response = countTokensAnswer(ctx);
      return undefined;
    },
    reserved,
    routed,
  ];
  const pipeline = withHooksMaybeAsync('request', (ctx) => runInOrder(ctx, steps), hooks);

  // ---- answering: the routed result, a local answer, or the failure ------------------------------------------
  const finish = finishRequest(runtime);
  const failed = failedResponse(runtime, finish);
  const answer = respond(runtime, reconcileUsage(accounted, logger), finish);

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const started = performance.now();
    const ctx = newContext(request, request.requestId ?? requestIdFrom(request.headers), logger);
    if (runtime.metricsOn) metrics.requestStarted();
    try {
      const running = pipeline(ctx);
      if (running !== undefined) await running;
    } catch (error) {
      return failed(ctx, error, started);
    }
    if (ctx.response !== undefined) {
      // A hook may answer after `reserve` (a cache in `route`, say): what the caller's limits hold for the call
      // that never happened goes back, or a concurrency slot stays taken until the reservation expires.
      scratchOf(ctx).grant?.release();
      finish(ctx, started, ctx.response.status);
      const headers = gatewayHeaders(ctx, performance.now() - started);
      // A hook's own answer gets gw's headers in a copy: its headers object may be shared by all its answers,
      // and the caller of handle() owns the headers of what it gets.
      if (ctx.response.headers !== headers) {
        ctx.response = { ...ctx.response, headers: { ...headers, ...ctx.response.headers } };
      }
      return ctx.response;
    }
    try {
      return await answer(ctx, started);
    } catch (error) {
      return failed(ctx, error, started);
    }
  }

  const health = () => deploymentHealth(router, deployments);
  const readiness = () =>
    gatewayReadiness(health(), options.redis, config.gw.failurePolicy === 'fail-closed');

  return {
    handle,
    health,
    readiness,
    metrics: () => metrics.text(),
    get metricsContentType() {
      return metrics.contentType;
    },
    modelGroups(headers) {
      if (headers === undefined) return [...groups];
      return [...visibleModels(authenticate(headers), groups, aliases)];
    },
    config,
    router,
    async close() {
      await router.close();
      await parts.limits.close();
    },
  };
}
