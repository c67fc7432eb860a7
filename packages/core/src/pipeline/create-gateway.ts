// Composes the gateway: authenticate, validate, count, reserve, route and call, translate, account; hooks around each.
import { performance } from 'node:perf_hooks';
import { GwError } from '@gw/errors';
import { createRouter, createSleep, type Router } from '@gw/router';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { assertModelAllowed, createAuthenticator } from '../auth/authenticate.ts';
import type { DeploymentConfig, GatewayConfig } from '../config/gateway-config.ts';
import { costOf } from '../cost/cost-of.ts';
import { countTokensResponse, modelsListResponse } from '../ingress/list-responses.ts';
import { createLogger } from '../logging/create-logger.ts';
import { requestIdFrom } from '../logging/request-id.ts';
import { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { withDeploymentRetries } from './deployment-retries.ts';
import { toFailure } from './error-status.ts';
import { deploymentHealth, gatewayReadiness, type HealthReport, type Readiness } from './gateway-health.ts';
import { type Hooks, withHooks } from './hooks.ts';
import type { GatewayLimits } from './limit-grant.ts';
import type {
  GatewayRequest,
  GatewayResponse,
  HeaderMap,
  Operation,
  PipelineContext,
} from './pipeline-context.ts';
import { type CallResult, neverAborted, newContext, scratchOf } from './pipeline-scratch.ts';
import { maxTokensOf, requirementsOf } from './request-facts.ts';
import { gatewayHeaders } from './response-headers.ts';
import { routerOptions, toRouterDeployment } from './router-setup.ts';
import type { CanonicalRequest, IngressProtocol, UpstreamCaller } from './seams.ts';
import { soleLimitedDeployments } from './sole-deployments.ts';
import { firstChunk, relayStream } from './stream-relay.ts';
import { resumeStream } from './stream-resume.ts';
import { unrefTimers } from './unref-timers.ts';

export type { DeploymentHealth, HealthReport, Readiness } from './gateway-health.ts';

export interface GatewayParts {
  protocols: Record<Operation, IngressProtocol>;
  upstream: UpstreamCaller;
  limits: GatewayLimits;
  /** Prompt tokens of a canonical request, for limits and context-window checks. */
  countPromptTokens(request: CanonicalRequest, operation: Operation): number;
  /** Output tokens of a text, for streams whose upstream reports no usage. */
  countText(text: string, model: string): number;
}

export interface GatewayCoreOptions {
  config: GatewayConfig;
  parts: GatewayParts;
  redis?: Redis;
  logger?: Logger;
  hooks?: Hooks;
  /** Wall clock in ms for routing and limits; tests inject theirs. */
  clock?: () => number;
  breakerStore?: import('@gw/router').BreakerStore;
  /** Router settings beyond the config's (timers, sleep, retry policy, health checks...), applied last. */
  routerOptions?: Partial<import('@gw/router').RouterOptions>;
  /** Deployments whose provider is unavailable, skipped with a warning. */
  isProviderAvailable?: (deployment: DeploymentConfig) => boolean;
}

export interface Gateway {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  health(): HealthReport;
  readiness(): Promise<Readiness>;
  metrics(): Promise<string>;
  readonly metricsContentType: string;
  /** Groups the caller behind these headers may use (all groups when omitted). */
  modelGroups(headers?: HeaderMap): string[];
  readonly config: GatewayConfig;
  readonly router: Router;
  close(): Promise<void>;
}

const MODEL_FREE: ReadonlySet<Operation> = new Set(['models']);

export function createGatewayCore(options: GatewayCoreOptions): Gateway {
  const { config, parts } = options;
  const logger = options.logger ?? createLogger({ level: config.gw.logLevel });
  const hooks = options.hooks;
  const authenticate = createAuthenticator(config);
  const deploymentsById = new Map<string, DeploymentConfig>();
  const available = options.isProviderAvailable ?? (() => true);
  for (const deployment of config.deployments) {
    if (!available(deployment)) {
      logger.warn(
        { deployment: deployment.id, provider: deployment.provider },
        'no provider for deployment, skipped',
      );
      continue;
    }
    deploymentsById.set(deployment.id, deployment);
  }
  const routed = [...deploymentsById.values()].map((deployment) =>
    toRouterDeployment(
      deployment,
      parts.upstream.supportsPrefill(deployment),
      config.router.enablePreCallChecks,
    ),
  );
  const setup: Parameters<typeof routerOptions>[1] = { deployments: routed };
  if (options.breakerStore !== undefined) setup.breakerStore = options.breakerStore;
  if (options.clock !== undefined) setup.clock = options.clock;
  // retryAfterCapMs 0: like LiteLLM, a group whose deployments all cool down answers 429 at once, never holds the call.
  const router = createRouter({
    ...routerOptions(config, setup),
    retryAfterCapMs: 0,
    ...options.routerOptions,
  });
  // Same-deployment retries (litellm_params.max_retries) wait on the router's injected time, so tests never sleep.
  const retrySleep =
    options.routerOptions?.sleep ?? createSleep(options.routerOptions?.timers ?? unrefTimers);
  const retryRandom = options.routerOptions?.random ?? Math.random;
  const groups = router.groups();
  const soleDeployments = soleLimitedDeployments(groups, deploymentsById.values(), config);
  const groupSet = new Set(groups);
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
  const metricsOn = config.gw.metrics;
  const debugLogging = logger.isLevelEnabled('debug');

  // ---- steps -------------------------------------------------------------------------------------------
  const authenticateStep = withHooks(
    'authenticate',
    async (ctx) => {
      ctx.principal = authenticate(ctx.headers);
    },
    hooks,
  );

  const validateStep = withHooks(
    'validate',
    async (ctx) => {
      const request = parts.protocols[ctx.operation].parse(ctx.body);
      ctx.request = request;
      ctx.stream = request.stream === true;
      const model = request.model;
      if (typeof model === 'string') ctx.modelGroup = model;
      if (ctx.modelGroup === undefined) return;
      if (!groupSet.has(ctx.modelGroup)) {
        throw new GwError({
          code: 'GW_ERR_MODEL_NOT_FOUND',
          message: `The model '${ctx.modelGroup}' does not exist on this gateway. Available: ${groups.join(', ')}.`,
          status: 404,
          details: { param: 'model' },
        });
      }
      assertModelAllowed(ctx.principal!, ctx.modelGroup);
    },
    hooks,
  );

  const countStep = withHooks(
    'countTokens',
    async (ctx) => {
      if (!config.gw.countTokens || ctx.request === undefined) return;
      ctx.promptTokens = parts.countPromptTokens(ctx.request, ctx.operation);
    },
    hooks,
  );

  const reserveStep = withHooks(
    'reserve',
    async (ctx) => {
      const sole = soleDeployments.get(ctx.modelGroup!);
      const grant = await parts.limits.reserveCaller(ctx.principal!, estimateTokens(ctx), sole);
      if (grant === undefined) return;
      const scratch = scratchOf(ctx);
      scratch.grant = grant;
      if (sole !== undefined) scratch.preReserved = sole.id;
      Object.assign(ctx.responseHeaders, grant.headers);
    },
    hooks,
  );

  /** One upstream call on the chosen deployment; its result goes to the scratch space for the respond step. */
  async function callOnce(
    ctx: PipelineContext,
    deployment: DeploymentConfig,
    attemptSignal: AbortSignal,
  ): Promise<void> {
    let signal = attemptSignal;
    if (ctx.stream) {
      // The router stops watching the caller once the attempt returns; the stream lives on, so link them.
      if (ctx.signal !== neverAborted) signal = AbortSignal.any([signal, ctx.signal]);
      const opened = await parts.upstream.stream(
        deployment,
        upstreamRequest(ctx, deployment),
        signal,
        ctx.operation,
        ctx.requestId,
      );
      const firstStart = performance.now();
      const start = await firstChunk(opened.chunks, ctx);
      const result: CallResult = { kind: 'stream', start };
      if (opened.upstreamMs !== undefined)
        result.upstreamMs = opened.upstreamMs + performance.now() - firstStart;
      scratchOf(ctx).callResult = result;
    } else {
      const sent = await parts.upstream.send(
        deployment,
        ctx.operation,
        upstreamRequest(ctx, deployment),
        signal,
        ctx.requestId,
      );
      const result: CallResult = { kind: 'json', response: sent.response };
      if (sent.usage !== undefined) result.usage = sent.usage;
      if (sent.upstreamMs !== undefined) result.upstreamMs = sent.upstreamMs;
      scratchOf(ctx).callResult = result;
    }
  }

  const callStep = withHooks(
    'call',
    async (ctx) => {
      const deployment = ctx.deployment!;
      const attemptSignal = scratchOf(ctx).attemptSignal!;
      const retries = deployment.maxRetries ?? 0;
      if (retries === 0) return callOnce(ctx, deployment, attemptSignal);
      await withDeploymentRetries(
        { retries, signal: attemptSignal, sleep: retrySleep, random: retryRandom },
        () => callOnce(ctx, deployment, attemptSignal),
      );
    },
    hooks,
  );

  const routeStep = withHooks(
    'route',
    async (ctx) => {
      const request: import('@gw/router').RouteRequest = {
        modelGroup: ctx.modelGroup!,
        stream: ctx.stream,
        signal: ctx.signal,
      };
      if (ctx.promptTokens !== undefined) request.promptTokens = ctx.promptTokens;
      const maxTokens = maxTokensOf(ctx.request);
      if (maxTokens !== undefined) request.maxTokens = maxTokens;
      const requires = requirementsOf(ctx.request);
      if (requires !== undefined) request.requires = requires;
      const result = await router.execute(request, async (routedDeployment, attempt) => {
        const deployment = deploymentsById.get(routedDeployment.id)!;
        ctx.deployment = deployment;
        ctx.attempts = attempt.attempt;
        const deploymentGrant =
          scratchOf(ctx).preReserved === deployment.id
            ? undefined
            : await parts.limits.reserveDeployment(deployment, estimateTokens(ctx));
        scratchOf(ctx).attemptSignal = attempt.signal;
        const waitStart = performance.now();
        try {
          await callStep(ctx);
        } catch (error) {
          scratchOf(ctx).upstreamMs += performance.now() - waitStart;
          deploymentGrant?.commit(0);
          if (metricsOn)
            metrics.attemptFailed(attempt.modelGroup, deployment.id, toFailure(error).errorClass);
          throw error;
        }
        const outcome = scratchOf(ctx).callResult!;
        // The caller's own measure of the upstream wait when it has one, else the whole call.
        scratchOf(ctx).upstreamMs += outcome.upstreamMs ?? performance.now() - waitStart;
        if (deploymentGrant !== undefined) outcome.deploymentGrant = deploymentGrant;
        if (outcome.kind === 'stream') attempt.markFirstByte();
        return outcome;
      });
      ctx.deployment = deploymentsById.get(result.deployment.id);
      ctx.servedGroup = result.modelGroup;
      ctx.attempts = result.attempts;
      scratchOf(ctx).callResult = result.value;
    },
    hooks,
  );

  const accountStep = withHooks(
    'account',
    async (ctx) => {
      const usage = ctx.usage;
      const deployment = ctx.deployment;
      if (usage === undefined || deployment === undefined) return;
      const override: Parameters<typeof costOf>[2] = {};
      const info = deployment.info;
      if (info.inputCostPerToken !== undefined || info.outputCostPerToken !== undefined) {
        override.override = {};
        if (info.inputCostPerToken !== undefined)
          override.override.inputCostPerToken = info.inputCostPerToken;
        if (info.outputCostPerToken !== undefined)
          override.override.outputCostPerToken = info.outputCostPerToken;
        if (info.cachedInputCostPerToken !== undefined) {
          override.override.cachedInputCostPerToken = info.cachedInputCostPerToken;
        }
      }
      // Billed to the model that answered: after a fallback that is the fallback deployment's model.
      ctx.costUsd = costOf(info.baseModel ?? deployment.model, usage, override);
      router.reportUsage(deployment.id, {
        promptTokens: usage.inputTokens,
        completionTokens: usage.outputTokens,
      });
    },
    hooks,
  );

  /** Settles the reservations with the tokens used (the estimate when unknown), so no slot or hold leaks. */
  function settleLimits(ctx: PipelineContext): void {
    const usage = ctx.usage;
    const total = usage === undefined ? estimateTokens(ctx) : usage.inputTokens + usage.outputTokens;
    scratchOf(ctx).grant?.commit(total);
    scratchOf(ctx).callResult?.deploymentGrant?.commit(total);
  }

  function estimateTokens(ctx: PipelineContext): number {
    return (ctx.promptTokens ?? 0) + (maxTokensOf(ctx.request) ?? 0);
  }

  function upstreamRequest(ctx: PipelineContext, deployment: DeploymentConfig): CanonicalRequest {
    const request = ctx.request!;
    const defaults = deployment.defaultParams;
    let merged = request;
    for (const key in defaults) {
      if (merged[key] === undefined) {
        if (merged === request) merged = { ...request };
        merged[key] = defaults[key];
      }
    }
    return merged;
  }

  const pipeline = withHooks(
    'request',
    async (ctx) => {
      await authenticateStep(ctx);
      if (MODEL_FREE.has(ctx.operation)) {
        ctx.response = { status: 200, headers: ctx.responseHeaders, body: modelList(ctx) };
        return;
      }
      await validateStep(ctx);
      await countStep(ctx);
      if (ctx.operation === 'count_tokens') {
        ctx.response = {
          status: 200,
          headers: ctx.responseHeaders,
          body: countTokensResponse(ctx.promptTokens ?? 0),
        };
        return;
      }
      await reserveStep(ctx);
      await routeStep(ctx);
    },
    hooks,
  );

  function modelList(ctx: PipelineContext) {
    const allowed = ctx.principal?.models;
    return modelsListResponse(allowed === undefined ? groups : groups.filter((group) => allowed.has(group)));
  }

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    const ctx = newContext(request, requestId, logger);
    if (metricsOn) metrics.requestStarted();
    try {
      await pipeline(ctx);
    } catch (error) {
      return failed(ctx, error, started);
    }
    if (ctx.response !== undefined) {
      finish(ctx, started, ctx.response.status);
      gatewayHeaders(ctx, performance.now() - started);
      return ctx.response;
    }
    try {
      return await respond(ctx, started);
    } catch (error) {
      return failed(ctx, error, started);
    }
  }

  /** The answer in the caller's protocol, after a successful route: JSON at once, or the relayed stream. */
  async function respond(ctx: PipelineContext, started: number): Promise<GatewayResponse> {
    const requestId = ctx.requestId;
    const outcome = scratchOf(ctx).callResult!;
    const protocol = parts.protocols[ctx.operation];
    if (outcome.kind === 'json') {
      ctx.usage = outcome.usage;
      try {
        await accountStep(ctx);
      } catch (error) {
        logger.error({ requestId, err: error }, 'account hook failed');
      } finally {
        settleLimits(ctx);
      }
      const body = protocol.formatResponse(outcome.response, ctx.modelGroup!);
      const overheadMs = performance.now() - started - scratchOf(ctx).upstreamMs;
      ctx.response = { status: 200, headers: gatewayHeaders(ctx, overheadMs), body };
      finish(ctx, started, 200);
      return ctx.response;
    }
    const overheadMs = performance.now() - started - scratchOf(ctx).upstreamMs;
    const headers = gatewayHeaders(ctx, overheadMs);
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    const stream = relayStream({
      ctx,
      start: outcome.start!,
      encoder: protocol.createStreamEncoder(ctx.modelGroup!, ctx.request!),
      countText: parts.countText,
      ...(config.gw.resumeStreams
        ? {
            resume: (sentText: string, error: unknown) => {
              const failedDeploymentId = ctx.deployment!.id;
              router.reportFailure(failedDeploymentId, error);
              if (metricsOn)
                metrics.attemptFailed(ctx.servedGroup!, failedDeploymentId, toFailure(error).errorClass);
              return resumeStream(
                { ctx, router, upstream: parts.upstream, deployments: deploymentsById, failedDeploymentId },
                sentText,
              );
            },
          }
        : {}),
      onEnd: async (result) => {
        ctx.usage = result.usage;
        ctx.usageCounted = result.usageCounted;
        if (result.error !== undefined) {
          router.reportFailure(ctx.deployment!.id, result.error);
          if (metricsOn)
            metrics.attemptFailed(ctx.servedGroup!, ctx.deployment!.id, toFailure(result.error).errorClass);
        }
        if (result.cancelled) {
          // The client went away: refund what it had reserved beyond what the upstream already produced.
          scratchOf(ctx).grant?.release();
        }
        try {
          await accountStep(ctx);
        } catch (error) {
          logger.error({ requestId, err: error }, 'account hook failed');
        } finally {
          settleLimits(ctx);
        }
        const streamed = result.upstreamWaitMs;
        scratchOf(ctx).upstreamMs += streamed + result.consumerWaitMs;
        const errorClass = result.error === undefined ? undefined : toFailure(result.error).errorClass;
        finish(ctx, started, 200, errorClass, result.ttftMs);
      },
    });
    ctx.response = { status: 200, headers, stream };
    return ctx.response;
  }

  function failed(ctx: PipelineContext, thrown: unknown, started: number): GatewayResponse {
    scratchOf(ctx).grant?.release();
    const failure = toFailure(thrown);
    const protocol = parts.protocols[ctx.operation];
    const formatted = protocol.formatError(failure.error);
    const headers = ctx.responseHeaders;
    const limitHeaders = failure.error.details?.headers;
    if (limitHeaders !== null && typeof limitHeaders === 'object') Object.assign(headers, limitHeaders);
    if (failure.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000)));
    if (failure.error.status >= 500) {
      logger.error(
        { requestId: ctx.requestId, code: failure.error.code, errorClass: failure.errorClass, err: thrown },
        'request failed',
      );
    } else {
      logger.info(
        { requestId: ctx.requestId, code: failure.error.code, status: failure.error.status },
        'request refused',
      );
    }
    if (failure.error.status === 429 && metricsOn)
      metrics.rateLimited(String(failure.error.details?.scope ?? 'upstream'));
    finish(ctx, started, formatted.status, failure.errorClass);
    gatewayHeaders(ctx, performance.now() - started - scratchOf(ctx).upstreamMs);
    ctx.response = { status: formatted.status, headers, body: formatted.body };
    return ctx.response;
  }

  function finish(
    ctx: PipelineContext,
    started: number,
    status: number,
    errorClass?: string,
    ttftMs?: number,
  ): void {
    const durationMs = performance.now() - started;
    if (debugLogging) {
      ctx.log.debug(
        {
          requestId: ctx.requestId,
          operation: ctx.operation,
          status,
          modelGroup: ctx.servedGroup ?? ctx.modelGroup,
          deployment: ctx.deployment?.id,
          attempts: ctx.attempts,
          durationMs,
          costUsd: ctx.costUsd,
          errorClass,
        },
        'request finished',
      );
    }
    if (!metricsOn) return;
    const outcome: import('../metrics/gateway-metrics.ts').RequestOutcome = {
      operation: ctx.operation,
      modelGroup:
        ctx.servedGroup ??
        (ctx.modelGroup !== undefined && groupSet.has(ctx.modelGroup) ? ctx.modelGroup : '(none)'),
      deployment: ctx.deployment?.id ?? '(none)',
      status,
      stream: ctx.stream,
      durationSeconds: durationMs / 1000,
      overheadSeconds: Math.max(0, durationMs - scratchOf(ctx).upstreamMs) / 1000,
      attempts: ctx.attempts,
    };
    if (errorClass !== undefined) outcome.errorClass = errorClass;
    if (ttftMs !== undefined) outcome.ttftSeconds = ttftMs / 1000;
    if (ctx.usage !== undefined) {
      outcome.inputTokens = ctx.usage.inputTokens;
      outcome.outputTokens = ctx.usage.outputTokens;
    }
    if (ctx.costUsd !== undefined) outcome.costUsd = ctx.costUsd;
    metrics.requestFinished(outcome);
  }

  const health = () => deploymentHealth(router, deploymentsById);
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
      const principal = authenticate(headers);
      return groups.filter((group) => principal.models === undefined || principal.models.has(group));
    },
    config,
    router,
    async close() {
      await router.close();
      await parts.limits.close();
    },
  };
}
