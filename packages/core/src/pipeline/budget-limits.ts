// Budgets (max_budget) on the limiter store: counted in billionths of a dollar, held like tokens, refused as LiteLLM does.
import { GwError } from '@gw/errors';
import type { Decision, LimitSpec } from '@gw/ratelimit';
import type { Principal } from '../auth/authenticate.ts';
import type { Budget } from '../config/gateway-config.ts';
import type { LimitGrant } from './limit-grant.ts';
import { callerSubject } from './limit-subject.ts';

/** Budgets are counted in billionths of a dollar: whole units for the store, no cent lost to rounding. */
const NANO_USD_PER_USD = 1e9;
/** A budget without budget_duration never resets: a window no key outlives. */
const LIFETIME_MS = 100 * 365 * 24 * 60 * 60_000;

/** Whether a call of this caller is held against a budget: its key's, its team's or the gateway's. */
export function hasBudget(principal: Principal, gatewayBudget: boolean): boolean {
  return gatewayBudget || principal.keyLimits?.budget !== undefined || principal.team?.budget !== undefined;
}

export function toNanoUsd(usd: number): number {
  return Math.round(usd * NANO_USD_PER_USD);
}

function formatUsd(nanoUsd: number): string {
  return `$${(nanoUsd / NANO_USD_PER_USD).toFixed(6).replace(/0{1,4}$/, '')}`;
}

/** The caller's rate-limit grant (if any) and its budget hold, settled together: the budget with the cost. */
export function withBudget(grant: LimitGrant | undefined, budget: LimitGrant): LimitGrant {
  return {
    headers: grant?.headers ?? {},
    commit(tokens, costUsd) {
      grant?.commit(tokens);
      // An answer without a price costs the budget nothing: gw bills only what it can price.
      budget.commit(toNanoUsd(costUsd ?? 0));
    },
    release() {
      grant?.release();
      budget.release();
    },
  };
}

/** LiteLLM's answer to a spent budget: a 400 of type budget_exceeded, which no retry cures before the reset. */
export function budgetRefusal(decision: Decision, held: number): GwError {
  const failed = decision.failed!;
  const scope = failed.name.split(':')[0]!;
  const spent = failed.limit - failed.remaining;
  const resets =
    failed.resetMs > LIFETIME_MS / 2
      ? 'it does not reset'
      : `it resets in ${Math.ceil(failed.resetMs / 1000)} s`;
  const request = held > 1 ? `; this request may cost up to ${formatUsd(held)}` : '';
  return new GwError({
    code: 'GW_ERR_BUDGET_EXCEEDED',
    message: `Budget exceeded for ${callerSubject(scope, undefined)}: ${formatUsd(spent)} of its ${formatUsd(failed.limit)} spent${request} (${resets}). Raise max_budget or wait for the reset.`,
    status: 400,
    details: { scope, errorType: 'budget_exceeded' },
  });
}

export function budgetSpecsFor(scope: string, subject: string, budget: Budget | undefined): LimitSpec[] {
  if (budget === undefined) return [];
  return [
    {
      name: `${scope}:budget`,
      key: subject,
      // Windows start at the first spend, as LiteLLM's budget_duration counts from the key's start.
      algorithm: 'fixed-window',
      limit: toNanoUsd(budget.maxUsd),
      windowMs: budget.durationMs ?? LIFETIME_MS,
      unit: 'tokens',
    },
  ];
}
