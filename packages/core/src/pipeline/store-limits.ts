// GatewayLimits on a @gw/ratelimit Store: key, team, model, gateway and deployment limits, each one atomic
// multi-limit decision, and budgets held before it.
import { randomBytes } from 'node:crypto';
import { GwError } from '@gw/errors';
import { type Decision, type LimitSpec, type MemoryStore, rateLimitHeaders, type Store } from '@gw/ratelimit';
import type { Principal } from '../auth/authenticate.ts';
import { innerMap } from '../collections/inner-map.ts';
import type { DeploymentConfig, Limits } from '../config/gateway-config.ts';
import { andThen } from './and-then.ts';
import { budgetRefusal, budgetSpecsFor, hasBudget, toNanoUsd, withBudget } from './budget-limits.ts';
import type { GatewayLimits, LimitGrant, MaybePromise } from './limit-grant.ts';
import { callerSubject } from './limit-subject.ts';

const MINUTE = 60_000;
/** A reservation never settled (a crashed request) frees its tokens and slot after this. */
const RESERVATION_TTL_MS = 10 * MINUTE;

export interface StoreLimitsOptions {
  /** A `MemoryStore` is also called synchronously: a promise fewer per decision, two per settlement. */
  store: Store;
  /** 1 when the store answers, 0 when not. */
  storeUp?: () => number;
  /** Limits on every call, whoever makes it: parallel requests and a budget for the whole gateway. */
  global?: Limits;
}

export function createStoreLimits(options: StoreLimitsOptions): GatewayLimits {
  const { store } = options;
  const globalSpecs = specsFor('global', 'gateway', options.global);
  const globalBudget = budgetSpecsFor('global', 'gateway', options.global?.budget);
  const synchronous = isMemoryStore(store) ? store : undefined;
  // Keyed by the ids themselves (see innerMap), not by a key built per request.
  const callerCache = new Map<string, LimitSpec[]>();
  const deploymentCache = new Map<string, LimitSpec[]>();
  const combinedCache = new Map<string, Map<string, LimitSpec[]>>();
  const groupCache = new Map<string, Map<string, LimitSpec[]>>();
  const budgetCache = new Map<string, LimitSpec[]>();
  const instance = randomBytes(6).toString('hex');
  let sequence = 0;

  function reserve(
    specs: LimitSpec[],
    tokens: number,
    refusal: (decision: Decision) => GwError,
  ): MaybePromise<LimitGrant | undefined> {
    if (specs.length === 0) return undefined;
    const id = `${instance}:${(sequence++).toString(36)}`;
    const request = { specs, requests: 1, tokens, reservation: { id, ttlMs: RESERVATION_TTL_MS } };
    if (synchronous !== undefined) return grantOf(synchronous.decideNow(request), specs, id, tokens, refusal);
    return store.decide(request).then((decision) => grantOf(decision, specs, id, tokens, refusal));
  }

  function grantOf(
    decision: Decision,
    specs: LimitSpec[],
    id: string,
    tokens: number,
    refusal: (decision: Decision) => GwError,
  ): LimitGrant {
    if (!decision.allowed) throw refusal(decision);
    let settled = false;
    const settle = (actualTokens: number | undefined) => {
      if (settled) return;
      settled = true;
      const request = { specs, reservationId: id, requests: 1, tokens, actualTokens };
      // A settlement that fails must not fail an answer already made; the Redis store reports its own failures
      // (metrics and a log line).
      if (synchronous === undefined) store.settle(request).catch(() => undefined);
      else {
        try {
          synchronous.settleNow(request);
        } catch {}
      }
    };
    return {
      headers: rateLimitHeaders(decision),
      commit: (actual) => settle(actual),
      release: () => settle(undefined),
    };
  }

  function callerSpecs(principal: Principal): LimitSpec[] {
    const cached = callerCache.get(principal.id);
    if (cached !== undefined) return cached;
    const specs = [
      ...specsFor('key', principal.id, principal.keyLimits),
      ...(principal.team === undefined ? [] : specsFor('team', principal.team.id, principal.team)),
      ...globalSpecs,
    ];
    callerCache.set(principal.id, specs);
    return specs;
  }

  /** The caller's limits for one model group: its key's and team's, and their own for that group if they set any. */
  function callerSpecsFor(principal: Principal, group: string | undefined): LimitSpec[] {
    const keyModels = principal.keyLimits?.modelLimits;
    const teamModels = principal.team?.modelLimits;
    if (group === undefined || (keyModels?.[group] === undefined && teamModels?.[group] === undefined)) {
      return callerSpecs(principal);
    }
    const byGroup = innerMap(groupCache, principal.id);
    let specs = byGroup.get(group);
    if (specs === undefined) {
      specs = [
        ...callerSpecs(principal),
        ...specsFor('key-model', subjectInGroup(principal.id, group), keyModels?.[group]),
        ...specsFor('team-model', subjectInGroup(principal.team?.id ?? '', group), teamModels?.[group]),
      ];
      byGroup.set(group, specs);
    }
    return specs;
  }

  function deploymentSpecs(deployment: DeploymentConfig): LimitSpec[] {
    const cached = deploymentCache.get(deployment.id);
    if (cached !== undefined) return cached;
    const specs = specsFor('deployment', deployment.id, { rpm: deployment.rpm, tpm: deployment.tpm });
    deploymentCache.set(deployment.id, specs);
    return specs;
  }

  function combinedSpecs(principal: Principal, deployment: DeploymentConfig): LimitSpec[] {
    const byDeployment = innerMap(combinedCache, principal.id);
    let specs = byDeployment.get(deployment.id);
    if (specs === undefined) {
      specs = [...callerSpecsFor(principal, deployment.modelName), ...deploymentSpecs(deployment)];
      byDeployment.set(deployment.id, specs);
    }
    return specs;
  }

  function budgetSpecs(principal: Principal): LimitSpec[] {
    const cached = budgetCache.get(principal.id);
    if (cached !== undefined) return cached;
    const specs = [
      ...budgetSpecsFor('key', principal.id, principal.keyLimits?.budget),
      ...budgetSpecsFor('team', principal.team?.id ?? '', principal.team?.budget),
      ...globalBudget,
    ];
    budgetCache.set(principal.id, specs);
    return specs;
  }

  function reserveRates(
    principal: Principal,
    tokens: number,
    deployment: DeploymentConfig | undefined,
    modelGroup: string | undefined,
  ): MaybePromise<LimitGrant | undefined> {
    const specs =
      deployment === undefined ? callerSpecsFor(principal, modelGroup) : combinedSpecs(principal, deployment);
    return reserve(specs, tokens, (decision) => {
      const failed = decision.failed;
      const scope = failed?.name.split(':')[0] ?? 'key';
      const subject = callerSubject(scope, deployment?.modelName ?? modelGroup);
      if (scope === 'deployment' && deployment !== undefined) {
        return deploymentRefusal(deployment, decision, tokens, rateLimitHeaders(decision));
      }
      if (isTooLarge(decision, tokens)) {
        return tooLargeError(subject, decision, tokens, rateLimitHeaders(decision));
      }
      return new GwError({
        code: 'GW_ERR_RATE_LIMITED',
        message: `Rate limit exceeded for ${subject} (${failed?.name ?? 'limit'}: ${failed?.limit ?? '?'} ${failed?.unit ?? ''}). Retry after ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
        status: 429,
        isRetryable: true,
        details: { scope, retryAfterMs: decision.retryAfterMs, headers: rateLimitHeaders(decision) },
      });
    });
  }

  return {
    reserveCaller(principal, tokens, deployment, modelGroup, costUsd) {
      // Most callers have no budget: no lookup for them.
      if (!hasBudget(principal, globalBudget.length > 0)) {
        return reserveRates(principal, tokens, deployment, modelGroup);
      }
      const budget = budgetSpecs(principal);
      // The budget first: its hold is all given back if a rate limit then refuses, while a request-per-minute
      // window counts a call it admitted for good.
      const held = Math.max(1, toNanoUsd(costUsd ?? 0));
      return andThen(
        reserve(budget, held, (decision) => budgetRefusal(decision, held)),
        (budgetGrant) => {
          try {
            return andThen(
              reserveRates(principal, tokens, deployment, modelGroup),
              (grant) => withBudget(grant, budgetGrant!),
              (error) => {
                budgetGrant!.release();
                throw error;
              },
            );
          } catch (error) {
            budgetGrant!.release();
            throw error;
          }
        },
      );
    },
    reserveDeployment(deployment, tokens) {
      return reserve(deploymentSpecs(deployment), tokens, (decision) => {
        const error = deploymentRefusal(deployment, decision, tokens, undefined);
        // The router reads these fields: move on to another deployment, wait no longer than the window says. A
        // request larger than the limit itself says nothing of the deployment's health: like a context window
        // exceeded, it must not cool the deployment down, and no wait helps.
        if (isTooLarge(decision, tokens)) Object.assign(error, { errorClass: 'context_window_exceeded' });
        else Object.assign(error, { errorClass: 'rate_limit', retryAfterMs: decision.retryAfterMs });
        return error;
      });
    },
    storeUp: options.storeUp ?? (() => 1),
    stats: () => ({ ...store.stats() }),
    close: () => store.close(),
  };
}

/** A key or team within one model group, as one limit subject: a JSON pair, so no two pairs read the same. */
function subjectInGroup(subject: string, group: string): string {
  return JSON.stringify([subject, group]);
}

/** The memory store answers synchronously as well; a store of the user's own is only called through `Store`. */
function isMemoryStore(store: Store): store is MemoryStore {
  const candidate = store as Partial<MemoryStore>;
  return typeof candidate.decideNow === 'function' && typeof candidate.settleNow === 'function';
}

/** A token limit the request alone exceeds: no wait makes it fit, only a smaller request. */
function isTooLarge(decision: Decision, tokens: number): boolean {
  const failed = decision.failed;
  return failed !== undefined && failed.unit === 'tokens' && tokens > failed.limit;
}

/** OpenAI's own answer to it: a 429 "Request too large", which a retry cannot cure (no retry-after). */
function tooLargeError(
  subject: string,
  decision: Decision,
  tokens: number,
  headers: Record<string, string> | undefined,
): GwError {
  const failed = decision.failed!;
  const details: Record<string, unknown> = { scope: failed.name.split(':')[0] };
  if (headers !== undefined) {
    // The rate-limit headers stay; a retry-after would invite the retry that cannot succeed.
    const { 'retry-after': _never, ...rest } = headers;
    details.headers = rest;
  }
  return new GwError({
    code: 'GW_ERR_REQUEST_TOO_LARGE',
    message: `Request too large for ${subject} (${failed.name}): it needs about ${tokens} tokens (prompt plus max_tokens) and the limit is ${failed.limit} tokens a minute. Shorten the prompt or lower max_tokens; retrying will not help.`,
    status: 429,
    isRetryable: false,
    details,
  });
}

function deploymentRefusal(
  deployment: DeploymentConfig,
  decision: Decision,
  tokens: number,
  headers: Record<string, string> | undefined,
): GwError {
  if (isTooLarge(decision, tokens)) {
    return tooLargeError(
      `deployment ${deployment.id} of model group '${deployment.modelName}'`,
      decision,
      tokens,
      headers,
    );
  }
  const details: Record<string, unknown> = { scope: 'deployment', retryAfterMs: decision.retryAfterMs };
  if (headers !== undefined) details.headers = headers;
  return new GwError({
    code: 'GW_ERR_DEPLOYMENT_RATE_LIMITED',
    message: `Deployment ${deployment.id} of model group '${deployment.modelName}' is at its configured ${decision.failed?.unit === 'tokens' ? 'tpm' : 'rpm'} limit. Retry after ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
    status: 429,
    isRetryable: true,
    details,
  });
}

function specsFor(scope: string, subject: string, limits: Limits | undefined): LimitSpec[] {
  if (limits === undefined) return [];
  const specs: LimitSpec[] = [];
  if (limits.rpm !== undefined) {
    specs.push({
      name: `${scope}:rpm`,
      key: subject,
      algorithm: 'sliding-window',
      limit: limits.rpm,
      windowMs: MINUTE,
      unit: 'requests',
    });
  }
  if (limits.tpm !== undefined) {
    specs.push({
      name: `${scope}:tpm`,
      key: subject,
      algorithm: 'sliding-window',
      limit: limits.tpm,
      windowMs: MINUTE,
      unit: 'tokens',
    });
  }
  if (limits.maxParallelRequests !== undefined) {
    specs.push({
      name: `${scope}:parallel`,
      key: subject,
      algorithm: 'concurrency',
      limit: limits.maxParallelRequests,
      windowMs: RESERVATION_TTL_MS,
      unit: 'requests',
    });
  }
  return specs;
}
