// createUpstreamPool: per-origin undici pools behind one bounded, observable request() entry point.
import type { LookupFunction } from 'node:net';
import { createCachedLookup } from './cached-lookup.ts';
import { OriginState } from './origin-state.ts';
import { PoolError } from './pool-error.ts';
import { defaultTimeouts, mergeTimeouts } from './timeouts.ts';
import type {
  OriginOptions,
  OriginStats,
  UpstreamPool,
  UpstreamPoolOptions,
  UpstreamRequest,
  UpstreamResponse,
} from './types.ts';
import { UpstreamCall } from './upstream-call.ts';

type Lifecycle = 'open' | 'draining' | 'closed';

const defaults = {
  connections: 256,
  maxQueued: 512,
  keepAliveTimeoutMs: 30_000,
  dnsCacheTtlMs: 30_000,
  highWaterMark: 64 * 1024,
  maxConcurrentStreams: 100,
  prewarmConnections: 1,
};

function canonicalOrigin(origin: string): string {
  return new URL(origin).origin;
}

export function createUpstreamPool(options: UpstreamPoolOptions = {}): UpstreamPool {
  const baseTimeouts = mergeTimeouts(defaultTimeouts, options.timeouts);
  const overrides = new Map<string, Partial<OriginOptions>>();
  for (const [origin, override] of Object.entries(options.origins ?? {}))
    overrides.set(canonicalOrigin(origin), override);
  const dnsTtl = options.dnsCacheTtlMs ?? defaults.dnsCacheTtlMs;
  const lookup: LookupFunction | undefined =
    dnsTtl > 0 ? createCachedLookup(dnsTtl, options.lookup) : options.lookup;
  const highWaterMark = options.highWaterMark ?? defaults.highWaterMark;

  // Keyed by the origin string callers pass, so the hot path is one Map lookup; aliases share one state.
  const byKey = new Map<string, OriginState>();
  const byOrigin = new Map<string, OriginState>();
  let lifecycle: Lifecycle = 'open';
  let idleWaiters: Array<() => void> = [];

  function inFlightTotal(): number {
    let total = 0;
    for (const state of byOrigin.values()) total += state.inFlight;
    return total;
  }

  function onIdle(): void {
    if (lifecycle === 'open' || idleWaiters.length === 0 || inFlightTotal() > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  }

  function resolveOptions(origin: string): OriginOptions {
    const override = overrides.get(origin) ?? {};
    const allowH2 =
      typeof options.allowH2 === 'function' ? options.allowH2(origin) : (options.allowH2 ?? false);
    return {
      connections: override.connections ?? options.connections ?? defaults.connections,
      maxQueued: override.maxQueued ?? options.maxQueued ?? defaults.maxQueued,
      keepAliveTimeoutMs:
        override.keepAliveTimeoutMs ?? options.keepAliveTimeoutMs ?? defaults.keepAliveTimeoutMs,
      timeouts: override.timeouts ?? {},
      allowH2: override.allowH2 ?? allowH2,
      h2c: override.h2c ?? false,
      maxConcurrentStreams: override.maxConcurrentStreams ?? defaults.maxConcurrentStreams,
      prewarmConnections: override.prewarmConnections ?? defaults.prewarmConnections,
      tls: override.tls ?? {},
    };
  }

  function originState(key: string): OriginState {
    const origin = canonicalOrigin(key);
    let state = byOrigin.get(origin);
    if (state === undefined) {
      const originOptions = resolveOptions(origin);
      state = new OriginState({
        origin,
        options: originOptions,
        timeouts: mergeTimeouts(baseTimeouts, originOptions.timeouts),
        lookup,
        hooks: options.hooks,
        highWaterMark,
        dispatcher: options.dispatcher,
        onIdle,
      });
      byOrigin.set(origin, state);
    }
    byKey.set(key, state);
    return state;
  }

  function refuse(state: OriginState | undefined, error: PoolError): Promise<never> {
    state?.countError(error.code);
    return Promise.reject(error);
  }

  function closedError(origin: string): PoolError {
    return new PoolError({
      code: 'GW_ERR_POOL_CLOSED',
      message: `the upstream pool is ${lifecycle === 'draining' ? 'draining' : 'closed'} and takes no new requests to ${origin}`,
      origin,
    });
  }

  function request(req: UpstreamRequest): Promise<UpstreamResponse> {
    let state = byKey.get(req.origin);
    // Checked before creating an origin, so a closed pool never opens a new one.
    if (lifecycle !== 'open') return refuse(state, closedError(state?.origin ?? req.origin));
    if (state === undefined) {
      try {
        state = originState(req.origin);
      } catch (error) {
        return refuse(
          undefined,
          new PoolError({
            code: 'GW_ERR_POOL_INVALID_REQUEST',
            message: `origin ${JSON.stringify(req.origin)} is not a valid URL origin; pass scheme://host[:port]`,
            origin: String(req.origin),
            cause: error,
          }),
        );
      }
    }
    if (state.inFlight >= state.capacity) {
      return refuse(
        state,
        new PoolError({
          code: 'GW_ERR_POOL_FULL',
          message: `${state.origin} already has ${state.inFlight} requests in flight (connections + maxQueued); shed load or raise maxQueued`,
          origin: state.origin,
        }),
      );
    }
    const signal = req.signal;
    if (signal?.aborted === true) {
      return refuse(
        state,
        new PoolError({
          code: 'GW_ERR_POOL_ABORTED',
          message: `request to ${state.origin} was aborted before it started`,
          origin: state.origin,
          cause: signal.reason,
        }),
      );
    }
    const timeouts =
      req.timeouts === undefined ? state.timeouts : mergeTimeouts(state.timeouts, req.timeouts);
    const target = state;
    target.inFlight++;
    return new Promise<UpstreamResponse>((resolve, reject) => {
      const call = new UpstreamCall(target, timeouts, req.stream === true, signal, resolve, reject);
      target.dispatcher.dispatch(
        {
          origin: target.origin,
          path: req.path,
          method: req.method,
          headers: req.headers,
          body: req.body,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: 0,
        },
        call,
      );
    });
  }

  async function destroyAll(): Promise<void> {
    const states = [...byOrigin.values()];
    const reasons = states.map((state) => closedError(state.origin));
    if (options.dispatcher !== undefined) {
      await options.dispatcher.destroy(reasons[0] ?? closedError('any origin'));
      return;
    }
    await Promise.all(states.map((state, index) => state.destroy(reasons[index]!)));
  }

  if (options.prewarm !== undefined) {
    for (const origin of options.prewarm) {
      const state = originState(origin);
      state.prewarm(resolveOptions(state.origin).prewarmConnections);
    }
  }

  return {
    request,

    stats(): Record<string, OriginStats> {
      const result: Record<string, OriginStats> = {};
      for (const [origin, state] of byOrigin) result[origin] = state.stats();
      return result;
    },

    async drain(drainOptions: { deadlineMs?: number } = {}): Promise<void> {
      if (lifecycle === 'open') lifecycle = 'draining';
      if (inFlightTotal() === 0) return;
      let deadline: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((resolve) => idleWaiters.push(() => resolve('idle')));
      const expired =
        drainOptions.deadlineMs === undefined
          ? undefined
          : new Promise<'deadline'>((resolve) => {
              deadline = setTimeout(resolve, drainOptions.deadlineMs, 'deadline');
            });
      const outcome = await (expired === undefined ? idle : Promise.race([idle, expired]));
      if (deadline !== undefined) clearTimeout(deadline);
      if (outcome === 'deadline') await destroyAll();
    },

    async close(): Promise<void> {
      if (lifecycle === 'closed') return;
      lifecycle = 'closed';
      await destroyAll();
      onIdle();
    },
  };
}
