// createRouter: picks a deployment per attempt, learns from each outcome, retries, and falls back to other groups.

import { backoffDelay, defaultBackoff } from './backoff.ts';
import { createMemoryBreakerStore } from './breaker-store.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { createStrategy } from './create-strategy.ts';
import type { Deployment } from './deployment.ts';
import { type DeploymentStats, defaultLatencyOptions, type LatencyOptions } from './deployment-stats.ts';
import { type ClassifiedError, classifyError, type ErrorClass } from './error-class.ts';
import { followAbort } from './follow-abort.ts';
import { guardClassifier } from './guard-classifier.ts';
import { HealthChecker } from './health-checker.ts';
import { neverAborts } from './never-aborts.ts';
import { fitsContextWindow, hasCapabilities, underLimits } from './pre-call-checks.ts';
import { RetryBudget } from './retry-budget.ts';
import { resolveRetryPolicy } from './retry-policy.ts';
import { type Group, RoutedDeployment, type Tier } from './routed-deployment.ts';
import { RouterError } from './router-error.ts';
import type {
  Attempt,
  AttemptContext,
  AttemptEvent,
  DeploymentState,
  ResultEvent,
  RouteRequest,
  RouteResult,
  Router,
  RouterOptions,
  RouterState,
  TokenUsage,
} from './router-types.ts';
import type { PickContext, Strategy } from './strategy.ts';
import { createSleep, type Sleep, systemTimers, type Timers } from './timers.ts';
import { createLocalUsageSource, type UsageSource } from './usage-source.ts';

/** Everything one `execute` call carries between its attempts. */
interface Call {
  request: RouteRequest;
  promptTokens: number;
  start: number;
  deadlineAt: number;
  /** Aborts on the caller's signal or the deadline; its reason is what the call rejects with. */
  signal: AbortSignal;
  attempts: number;
  /** The first upstream error: what goes back when retries and fallbacks are exhausted. */
  firstError: unknown;
  /** Deployments that failed in this call: avoided while another is eligible. */
  avoid: RoutedDeployment[];
  /** Deployments never to be tried again in this call (context window, content policy). */
  exclude: RoutedDeployment[];
  avoiding: boolean;
}

type AttemptOutcome<T> =
  | { ok: true; result: RouteResult<T> }
  | { ok: false; error: unknown; errorClass: ErrorClass };

interface GroupFailure {
  error: unknown;
  errorClass: ErrorClass;
}

type Diagnosis =
  | { kind: 'context_window' }
  | { kind: 'too_large'; largestTpm: number }
  | { kind: 'unsupported' }
  | {
      kind: 'unavailable';
      rateLimited: boolean;
      reopenAt: number;
      /** Deployments held back only by their maxParallelRequests: one frees up when a request ends. */
      full: number;
    };

const neverRetried: ReadonlySet<ErrorClass> = new Set(['context_window_exceeded', 'content_policy']);

function invalidConfig(message: string): RouterError {
  return new RouterError({ code: 'GW_ERR_ROUTER_INVALID_CONFIG', status: 500, message });
}

function invoke<T>(attempt: Attempt<T>, deployment: Deployment, context: AttemptContext): Promise<T> {
  try {
    return attempt(deployment, context);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Settles with the attempt, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

class DefaultRouter implements Router {
  readonly #options: RouterOptions;
  readonly #groups = new Map<string, Group>();
  readonly #byId = new Map<string, RoutedDeployment>();
  readonly #all: RoutedDeployment[] = [];
  readonly #budget: RetryBudget | undefined;
  readonly #usage: UsageSource;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #timers: Timers;
  readonly #sleep: Sleep;
  readonly #classify: (error: unknown) => ClassifiedError;
  readonly #retryAfterCapMs: number;
  readonly #health: HealthChecker | undefined;
  /** The one pick context, refilled before every pick so picking never allocates. */
  readonly #pick: { -readonly [K in keyof PickContext]: PickContext[K] };
  #current: Call | undefined;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#timers = options.timers ?? systemTimers;
    this.#sleep = options.sleep ?? createSleep(this.#timers);
    this.#classify = options.classify === undefined ? classifyError : guardClassifier(options.classify);
    this.#usage = options.usage ?? createLocalUsageSource();
    this.#budget = options.retryBudget === undefined ? undefined : new RetryBudget(options.retryBudget);
    this.#retryAfterCapMs = options.retryAfterCapMs ?? 10_000;
    this.#pick = {
      now: 0,
      stream: false,
      promptTokens: 0,
      usage: this.#usage,
      random: this.#random,
      eligible: (stats) => this.#eligible(stats),
    };
    this.#build(options);
    if (options.healthCheck !== undefined) {
      this.#health = new HealthChecker(
        this.#all,
        options.healthCheck,
        this.#timers,
        this.#clock,
        this.#classify,
      );
    }
  }

  #build(options: RouterOptions): void {
    const strategy: Strategy =
      typeof options.strategy === 'object'
        ? options.strategy
        : createStrategy(options.strategy ?? 'simple-shuffle', options.strategyOptions);
    const latency: LatencyOptions = { ...defaultLatencyOptions, ...options.latency };
    const store = options.breakerStore ?? createMemoryBreakerStore();
    for (const deployment of options.deployments) {
      if (!deployment.id || !deployment.modelGroup) {
        throw invalidConfig('Every deployment needs a non-empty `id` and `modelGroup`.');
      }
      if (this.#byId.has(deployment.id))
        throw invalidConfig(`Deployment id "${deployment.id}" appears twice.`);
      const breaker = new CircuitBreaker(deployment.id, store, options.breaker);
      const routed = new RoutedDeployment(deployment, latency, breaker);
      this.#byId.set(deployment.id, routed);
      this.#all.push(routed);
      let group = this.#groups.get(deployment.modelGroup);
      if (group === undefined) {
        group = {
          name: deployment.modelGroup,
          policy: resolveRetryPolicy(
            options.numRetries ?? 2,
            options.groupRetryPolicies?.[deployment.modelGroup] ?? options.retryPolicy,
          ),
          tiers: [],
          members: [],
          slotWaiters: new Set(),
        };
        this.#groups.set(deployment.modelGroup, group);
      }
      group.members.push(routed);
    }
    for (const group of this.#groups.values()) {
      const byOrder = new Map<number, RoutedDeployment[]>();
      for (const member of group.members) {
        // Deployments without an order come after every ordered tier.
        const order = member.deployment.order ?? Number.POSITIVE_INFINITY;
        const tierMembers = byOrder.get(order) ?? [];
        member.slot = tierMembers.length;
        tierMembers.push(member);
        byOrder.set(order, tierMembers);
      }
      const orders = [...byOrder.keys()].sort((left, right) => left - right);
      group.tiers = orders.map((order): Tier => {
        const members = byOrder.get(order) as RoutedDeployment[];
        const picker = strategy.createPicker(members, { usage: this.#usage, clock: this.#clock });
        for (const member of members) member.picker = picker;
        return { order, members, picker };
      });
    }
    for (const [name, lists] of [
      ['fallbacks', options.fallbacks],
      ['contextWindowFallbacks', options.contextWindowFallbacks],
      ['contentPolicyFallbacks', options.contentPolicyFallbacks],
    ] as const) {
      for (const [from, targets] of Object.entries(lists ?? {})) {
        for (const target of targets) {
          if (!this.#groups.has(target)) {
            throw invalidConfig(`${name}["${from}"] names model group "${target}", which has no deployment.`);
          }
        }
      }
    }
    for (const name of Object.keys(options.groupRetryPolicies ?? {})) {
      if (!this.#groups.has(name)) {
        throw invalidConfig(`groupRetryPolicies names model group "${name}", which has no deployment.`);
      }
    }
  }

  #eligible(stats: DeploymentStats): boolean {
    const member = stats as RoutedDeployment;
    const call = this.#current as Call;
    const now = this.#pick.now;
    if (call.exclude.length > 0 && call.exclude.includes(member)) return false;
    if (call.avoiding && call.avoid.includes(member)) return false;
    if (!member.breaker.allows(now)) return false;
    if (!underLimits(member, this.#usage, now, call.promptTokens)) return false;
    const deployment = member.deployment;
    return (
      fitsContextWindow(deployment, call.promptTokens, call.request.maxTokens) &&
      hasCapabilities(deployment, call.request.requires)
    );
  }

  #select(group: Group, call: Call): RoutedDeployment | undefined {
    const pick = this.#pick;
    pick.now = this.#clock();
    pick.stream = call.request.stream === true;
    pick.promptTokens = call.promptTokens;
    this.#current = call;
    call.avoiding = call.avoid.length > 0;
    for (;;) {
      for (const tier of group.tiers) {
        const chosen = tier.picker.pick(pick);
        if (chosen !== undefined) return chosen as RoutedDeployment;
      }
      // Only the deployments that already failed are left: better them than nothing.
      if (!call.avoiding) return undefined;
      call.avoiding = false;
    }
  }

  /** Why nothing was eligible; only runs on that slow path. */
  #diagnose(group: Group, call: Call, now: number): Diagnosis {
    let candidates = 0;
    let fitting = 0;
    let withinCapacity = 0;
    let largestTpm = 0;
    let capable = 0;
    let rateLimited = true;
    let reopenAt = Number.POSITIVE_INFINITY;
    let full = 0;
    for (const member of group.members) {
      if (call.exclude.includes(member)) continue;
      candidates++;
      if (!fitsContextWindow(member.deployment, call.promptTokens, call.request.maxTokens)) continue;
      fitting++;
      const tpm = member.deployment.tpm;
      if (tpm !== undefined && call.promptTokens > tpm) {
        // Larger than a whole minute of this deployment: no wait makes room.
        largestTpm = Math.max(largestTpm, tpm);
        continue;
      }
      withinCapacity++;
      if (!hasCapabilities(member.deployment, call.request.requires)) continue;
      capable++;
      const until = member.breaker.openUntil(now);
      if (until !== undefined) {
        reopenAt = Math.min(reopenAt, until);
        if (member.breaker.openReason() !== 'rate_limit') rateLimited = false;
      } else if (!underLimits(member, this.#usage, now, call.promptTokens)) {
        const parallel = member.deployment.maxParallelRequests;
        if (parallel !== undefined && member.inFlight >= parallel) full++;
        else if (member.deployment.rpm !== undefined || member.deployment.tpm !== undefined) {
          reopenAt = Math.min(reopenAt, (Math.floor(now / 60_000) + 1) * 60_000);
        }
      } else {
        // Half-open with its probes taken: it will be free once a probe returns.
        rateLimited = false;
      }
    }
    if (candidates === 0) return { kind: 'unavailable', rateLimited: false, reopenAt, full };
    if (fitting === 0) return { kind: 'context_window' };
    if (withinCapacity === 0) return { kind: 'too_large', largestTpm };
    if (capable === 0) return { kind: 'unsupported' };
    return { kind: 'unavailable', rateLimited, reopenAt, full };
  }

  /** Why no deployment of the group can take the call at all, whatever the wait. */
  #refusal(group: Group, call: Call, diagnosis: Exclude<Diagnosis, { kind: 'unavailable' }>): RouterError {
    if (diagnosis.kind === 'context_window') {
      return new RouterError({
        code: 'GW_ERR_ROUTER_CONTEXT_WINDOW',
        status: 400,
        errorClass: 'context_window_exceeded',
        message: `No deployment of model group "${group.name}" has a context window for ${call.promptTokens} prompt tokens${call.request.maxTokens === undefined ? '' : ` and ${call.request.maxTokens} output tokens`}; shorten the prompt or use a larger model.`,
      });
    }
    if (diagnosis.kind === 'too_large') {
      // OpenAI's answer to a request over the whole TPM is a 429 "Request too large"; unlike a rate limit it
      // says nothing of the deployments' health and no retry helps, so it takes the context window's path.
      return new RouterError({
        code: 'GW_ERR_ROUTER_REQUEST_TOO_LARGE',
        status: 429,
        errorClass: 'context_window_exceeded',
        isRetryable: false,
        message: `Request too large for model group "${group.name}": its ${call.promptTokens} prompt tokens exceed the tpm of every deployment (at most ${diagnosis.largestTpm} tokens a minute); shorten the prompt or use a group with a higher tpm.`,
      });
    }
    return new RouterError({
      code: 'GW_ERR_ROUTER_NO_DEPLOYMENT',
      status: 400,
      errorClass: 'bad_request',
      message: `No deployment of model group "${group.name}" supports what the request needs (${Object.keys(call.request.requires ?? {}).join(', ')}).`,
    });
  }

  /**
   * Waits until a deployment of the group at its maxParallelRequests finishes a request, as LiteLLM's per-deployment
   * semaphore queues its callers; the call's signal (the caller's abort or the deadline) ends the wait.
   */
  #waitForSlot(group: Group, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      // A call without a deadline or a caller's signal shares one that never aborts: no listener piles up on it.
      const abortable = signal !== neverAborts;
      const freed = () => {
        if (abortable) signal.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        group.slotWaiters.delete(freed);
        reject(signal.reason);
      };
      group.slotWaiters.add(freed);
      if (abortable) signal.addEventListener('abort', aborted, { once: true });
    });
  }

  /** A request ended on a deployment with a parallel limit: everyone waiting on its group tries again. */
  #slotFreed(member: RoutedDeployment): void {
    if (member.deployment.maxParallelRequests === undefined) return;
    const group = this.#groups.get(member.deployment.modelGroup);
    if (group === undefined || group.slotWaiters.size === 0) return;
    const waiters = [...group.slotWaiters];
    group.slotWaiters.clear();
    for (const wake of waiters) wake();
  }

  #emit(event: AttemptEvent): void {
    this.#options.onAttempt?.(event);
  }

  async #attemptOnce<T>(
    call: Call,
    group: Group,
    member: RoutedDeployment,
    attempt: Attempt<T>,
  ): Promise<AttemptOutcome<T>> {
    call.attempts++;
    const number = call.attempts;
    const deployment = member.deployment;
    const started = this.#clock();
    const probe = member.breaker.begin(started);
    member.startRequest(started);
    this.#usage.record(deployment.id, 1, 0, started);
    member.changed();
    let firstByteAt: number | undefined;
    let ttftError: RouterError | undefined;
    let ttftHandle: unknown;
    let tokens: TokenUsage | undefined;
    const ttftTimeoutMs = call.request.stream
      ? (call.request.ttftTimeoutMs ?? this.#options.ttftTimeoutMs)
      : undefined;
    // An AbortController costs microseconds in Node: only a TTFT timeout needs one per attempt.
    let signal = call.signal;
    let controller: AbortController | undefined;
    let unlinkCall: (() => void) | undefined;
    if (ttftTimeoutMs !== undefined) {
      controller = new AbortController();
      signal = controller.signal;
      unlinkCall = followAbort(call.signal, controller);
      ttftHandle = this.#timers.setTimeout(() => {
        if (firstByteAt !== undefined) return;
        ttftError = new RouterError({
          code: 'GW_ERR_ROUTER_TTFT_TIMEOUT',
          status: 504,
          errorClass: 'timeout',
          isRetryable: true,
          message: `Deployment "${deployment.id}" sent no first token within ${ttftTimeoutMs} ms.`,
        });
        controller?.abort(ttftError);
      }, ttftTimeoutMs);
    }
    const context: AttemptContext = {
      attempt: number,
      signal,
      modelGroup: group.name,
      markFirstByte: () => {
        if (firstByteAt !== undefined) return;
        firstByteAt = this.#clock();
        if (ttftHandle !== undefined) this.#timers.clearTimeout(ttftHandle);
      },
      reportUsage: (usage) => {
        tokens = usage;
        const total = (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
        this.#usage.record(deployment.id, 0, total, this.#clock());
        member.changed();
      },
    };
    try {
      const pending = invoke(attempt, deployment, context);
      const value = await (signal === neverAborts ? pending : raceAbort(pending, signal));
      const ended = this.#clock();
      const ttftMs = firstByteAt === undefined ? undefined : firstByteAt - started;
      member.observeSuccess(ended - started, ttftMs, ended);
      member.breaker.onSuccess(ended, probe);
      const event: AttemptEvent = {
        deployment,
        modelGroup: group.name,
        attempt: number,
        ok: true,
        latencyMs: ended - started,
        breakerOpened: false,
      };
      if (ttftMs !== undefined) event.ttftMs = ttftMs;
      if (tokens !== undefined) event.usage = tokens;
      this.#emit(event);
      const result: RouteResult<T> = {
        value,
        deployment,
        modelGroup: group.name,
        attempts: number,
        latencyMs: ended - call.start,
      };
      if (ttftMs !== undefined) result.ttftMs = ttftMs;
      return { ok: true, result };
    } catch (error) {
      const ended = this.#clock();
      const latencyMs = ended - started;
      const ttftMs = firstByteAt === undefined ? undefined : firstByteAt - started;
      const event: AttemptEvent = {
        deployment,
        modelGroup: group.name,
        attempt: number,
        ok: false,
        latencyMs,
        breakerOpened: false,
        error,
      };
      if (ttftMs !== undefined) event.ttftMs = ttftMs;
      if (tokens !== undefined) event.usage = tokens;
      if (call.signal.aborted && ttftError === undefined) {
        // The caller gave up or the deadline passed: that says nothing about the deployment.
        member.breaker.onFailure(ended, probe, 'aborted');
        event.errorClass = 'aborted';
        this.#emit(event);
        if (firstByteAt !== undefined && isRouterError(call.signal.reason)) {
          throw this.#interrupted(call.signal.reason, deployment, 'timeout');
        }
        throw call.signal.reason;
      }
      const classified: ClassifiedError =
        ttftError !== undefined ? { errorClass: 'timeout' } : this.#classify(error);
      const failure = ttftError ?? error;
      const errorClass = classified.errorClass;
      if (errorClass !== 'bad_request' && !neverRetried.has(errorClass) && errorClass !== 'aborted') {
        member.observeFailure(latencyMs, ended);
      } else {
        member.failures++;
      }
      event.errorClass = errorClass;
      if (classified.status !== undefined) event.status = classified.status;
      event.breakerOpened = member.breaker.onFailure(ended, probe, errorClass, classified.retryAfterMs);
      event.error = failure;
      this.#emit(event);
      if (firstByteAt !== undefined) throw this.#interrupted(failure, deployment, errorClass);
      return { ok: false, error: failure, errorClass };
    } finally {
      member.finishRequest(started);
      member.changed();
      this.#slotFreed(member);
      if (ttftHandle !== undefined) this.#timers.clearTimeout(ttftHandle);
      unlinkCall?.();
    }
  }

  #interrupted(cause: unknown, deployment: Deployment, errorClass: ErrorClass): RouterError {
    return new RouterError({
      code: 'GW_ERR_ROUTER_STREAM_INTERRUPTED',
      status: 502,
      cause,
      errorClass,
      afterFirstByte: true,
      message: `The stream from deployment "${deployment.id}" failed after it reached the client; it cannot be retried transparently.`,
      details: { deploymentId: deployment.id },
    });
  }

  /** Retries within one group; returns the failure that should move the call on to fallback groups. */
  async #tryGroup<T>(call: Call, group: Group, attempt: Attempt<T>): Promise<RouteResult<T> | GroupFailure> {
    const retriesUsed: Partial<Record<ErrorClass, number>> = {};
    let retries = 0;
    let waits = 0;
    let lastFailed: RoutedDeployment | undefined;
    let lastClass: ErrorClass | undefined;
    call.avoid.length = 0;
    for (;;) {
      if (call.signal.aborted) throw call.signal.reason;
      const chosen = this.#select(group, call);
      if (chosen === undefined) {
        const now = this.#clock();
        const diagnosis = this.#diagnose(group, call, now);
        if (diagnosis.kind !== 'unavailable') {
          const error = this.#refusal(group, call, diagnosis);
          // Context window and request-too-large take the context window's path; the rest goes back to the caller.
          if (
            error.errorClass === 'context_window_exceeded' &&
            !group.policy.context_window_exceeded.fallback
          ) {
            throw error;
          }
          return { error, errorClass: error.errorClass! };
        }
        if (diagnosis.full > 0) {
          await this.#waitForSlot(group, call.signal);
          continue;
        }
        const waitClass: ErrorClass = diagnosis.rateLimited ? 'rate_limit' : (lastClass ?? 'upstream_5xx');
        const wait = Math.max(0, diagnosis.reopenAt - now);
        // Only a rate limit is worth waiting out: its end is announced, and the deployment is fine otherwise.
        if (
          diagnosis.rateLimited &&
          Number.isFinite(diagnosis.reopenAt) &&
          wait <= this.#retryAfterCapMs &&
          now + wait < call.deadlineAt &&
          waits <= group.policy[waitClass].retries &&
          group.policy[waitClass].retries > 0
        ) {
          waits++;
          await this.#sleep(wait, call.signal);
          // The wait was the backoff: the deployment said when to come back.
          lastFailed = undefined;
          continue;
        }
        const error = new RouterError({
          code: 'GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT',
          status: diagnosis.rateLimited ? 429 : 503,
          errorClass: waitClass,
          isRetryable: true,
          message: `Every deployment of model group "${group.name}" is ${diagnosis.rateLimited ? 'rate limited' : 'unhealthy or at capacity'}; retry later.`,
          ...(Number.isFinite(diagnosis.reopenAt) ? { retryAfterMs: wait } : {}),
        });
        if (!group.policy[waitClass].fallback) throw call.firstError ?? error;
        return { error, errorClass: waitClass };
      }
      if (chosen === lastFailed) {
        // No other deployment is left: back off before hitting the same one again.
        await this.#sleep(
          backoffDelay(retries - 1, this.#options.backoff ?? defaultBackoff, this.#random),
          call.signal,
        );
      }
      const outcome = await this.#attemptOnce(call, group, chosen, attempt);
      if (outcome.ok) return outcome.result;
      const { error, errorClass } = outcome;
      call.firstError ??= error;
      lastFailed = chosen;
      lastClass = errorClass;
      if (neverRetried.has(errorClass)) call.exclude.push(chosen);
      else if (!call.avoid.includes(chosen)) call.avoid.push(chosen);
      const rule = group.policy[errorClass];
      const used = retriesUsed[errorClass] ?? 0;
      if (used < rule.retries) {
        // A spent budget sends the original error back instead of adding to a retry storm.
        if (this.#budget !== undefined && !this.#budget.tryRetry(this.#clock())) throw call.firstError;
        retriesUsed[errorClass] = used + 1;
        retries++;
        continue;
      }
      if (rule.fallback) return { error, errorClass };
      throw error;
    }
  }

  #fallbackList(group: string, errorClass: ErrorClass): readonly string[] {
    const options = this.#options;
    const general = options.fallbacks?.[group] ?? options.fallbacks?.['*'] ?? [];
    if (errorClass === 'context_window_exceeded') return options.contextWindowFallbacks?.[group] ?? general;
    if (errorClass === 'content_policy') return options.contentPolicyFallbacks?.[group] ?? general;
    return general;
  }

  /** After the first group failed in a way that moves the call on: its fallback groups, in order, until one answers. */
  async #fallBack<T>(
    call: Call,
    first: Group,
    firstFailure: GroupFailure,
    attempt: Attempt<T>,
  ): Promise<RouteResult<T>> {
    const chain = this.#fallbackList(first.name, firstFailure.errorClass);
    let failure = firstFailure;
    for (let index = 0; index < chain.length; index++) {
      const name = chain[index] as string;
      // Each group gets one turn per call: the `*` list may name the requested group itself, a list may repeat one.
      if (name === first.name || chain.indexOf(name) < index) continue;
      if (this.#budget !== undefined && !this.#budget.tryRetry(this.#clock()))
        throw call.firstError ?? failure.error;
      call.firstError ??= failure.error;
      const outcome = await this.#tryGroup(call, this.#groups.get(name) as Group, attempt);
      if ('value' in outcome) return outcome;
      failure = outcome;
    }
    throw call.firstError ?? failure.error;
  }

  async execute<T>(request: RouteRequest, attempt: Attempt<T>): Promise<RouteResult<T>> {
    const group = this.#groups.get(request.modelGroup);
    if (group === undefined) {
      throw new RouterError({
        code: 'GW_ERR_ROUTER_NO_DEPLOYMENT',
        status: 404,
        message: `Model group "${request.modelGroup}" has no deployment; use one of: ${[...this.#groups.keys()].join(', ')}.`,
      });
    }
    const start = this.#clock();
    this.#budget?.recordRequest(start);
    const deadlineMs = request.deadlineMs ?? this.#options.deadlineMs;
    // Without a deadline the caller's signal is the call's; a deadline needs a controller of its own.
    const controller = deadlineMs === undefined ? undefined : new AbortController();
    const call: Call = {
      request,
      promptTokens: request.promptTokens ?? 0,
      start,
      deadlineAt: deadlineMs === undefined ? Number.POSITIVE_INFINITY : start + deadlineMs,
      signal: controller?.signal ?? request.signal ?? neverAborts,
      attempts: 0,
      firstError: undefined,
      avoid: [],
      exclude: this.#resolve(request.exclude),
      avoiding: false,
    };
    // Listening to the caller costs a closure and a listener: only a deadline's own controller needs it.
    const unlinkCaller =
      controller !== undefined && request.signal !== undefined
        ? followAbort(request.signal, controller)
        : undefined;
    const deadlineHandle =
      controller === undefined || deadlineMs === undefined
        ? undefined
        : this.#timers.setTimeout(() => {
            controller.abort(
              new RouterError({
                code: 'GW_ERR_ROUTER_DEADLINE',
                status: 504,
                errorClass: 'timeout',
                cause: call.firstError,
                message: `Model group "${request.modelGroup}" did not answer within the ${deadlineMs} ms deadline (${call.attempts} attempts).`,
              }),
            );
          }, deadlineMs);
    try {
      // The first group inline: an answer from it, the common case, waits in no frame of a fallback loop.
      const first = await this.#tryGroup(call, group, attempt);
      const result = 'value' in first ? first : await this.#fallBack(call, group, first, attempt);
      const event: ResultEvent = {
        requestedGroup: request.modelGroup,
        modelGroup: result.modelGroup,
        deployment: result.deployment,
        ok: true,
        attempts: result.attempts,
        latencyMs: result.latencyMs,
      };
      // Set on the event, not spread into a copy: a spread that adds a key is slow on Node 20's V8.
      if (result.ttftMs !== undefined) event.ttftMs = result.ttftMs;
      this.#options.onResult?.(event);
      return result;
    } catch (error) {
      const classified = isRouterError(error) ? undefined : this.#classify(error);
      this.#options.onResult?.({
        requestedGroup: request.modelGroup,
        ok: false,
        attempts: call.attempts,
        latencyMs: this.#clock() - start,
        errorClass: (error as RouterError).errorClass ?? classified?.errorClass ?? 'unknown',
        error,
      });
      throw error;
    } finally {
      if (deadlineHandle !== undefined) this.#timers.clearTimeout(deadlineHandle);
      unlinkCaller?.();
    }
  }

  #resolve(ids: readonly string[] | undefined): RoutedDeployment[] {
    const members: RoutedDeployment[] = [];
    for (const id of ids ?? []) {
      const member = this.#byId.get(id);
      if (member !== undefined) members.push(member);
    }
    return members;
  }

  reportUsage(deploymentId: string, usage: TokenUsage): void {
    const total = (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
    const member = this.#byId.get(deploymentId);
    if (member === undefined) return;
    this.#usage.record(deploymentId, 0, total, this.#clock());
    member.changed();
  }

  reportFailure(deploymentId: string, error: unknown): void {
    const member = this.#byId.get(deploymentId);
    if (member === undefined) return;
    const classified = this.#classify(error);
    const now = this.#clock();
    member.breaker.onFailure(now, false, classified.errorClass, classified.retryAfterMs);
  }

  state(): RouterState {
    const now = this.#clock();
    const deployments = this.#all.map((member): DeploymentState => {
      const { id, modelGroup } = member.deployment;
      const state: DeploymentState = {
        id,
        modelGroup,
        breaker: member.breaker.state(now),
        inFlight: member.inFlight,
        peakEwmaMs: member.peakEwmaMs(now),
        rpmUsed: this.#usage.requests(id, now),
        tpmUsed: this.#usage.tokens(id, now),
        successes: member.successes,
        failures: member.failures,
        consecutiveFailures: member.breaker.failuresInARow,
      };
      const openUntil = member.breaker.openUntil(now);
      if (openUntil !== undefined) state.openUntil = openUntil;
      const reason = member.breaker.openReason();
      if (reason !== undefined) state.openReason = reason;
      if (member.latencyMs >= 0) state.latencyMs = member.latencyMs;
      if (member.ttftMs >= 0) state.ttftMs = member.ttftMs;
      return state;
    });
    return this.#budget === undefined
      ? { deployments }
      : { deployments, retryBudget: this.#budget.snapshot(now) };
  }

  groups(): string[] {
    return [...this.#groups.keys()];
  }

  deployments(group?: string): Deployment[] {
    const members = group === undefined ? this.#all : (this.#groups.get(group)?.members ?? []);
    return members.map((member) => member.deployment);
  }

  async close(): Promise<void> {
    await this.#health?.stop();
  }
}

function isRouterError(value: unknown): value is RouterError {
  return value instanceof RouterError;
}

export function createRouter(options: RouterOptions): Router {
  return new DefaultRouter(options);
}
