// Requests and tokens each deployment used in the current minute, for rpm/tpm pre-call checks and usage routing.

/**
 * Reads are synchronous because they run on the selection hot path; a shared implementation (for example
 * one backed by @gw/ratelimit and Redis) keeps a local view and syncs it in the background.
 */
export interface UsageSource {
  requests(deploymentId: string, now: number): number;
  tokens(deploymentId: string, now: number): number;
  record(deploymentId: string, requests: number, tokens: number, now: number): void;
}

interface MinuteCounter {
  minute: number;
  requests: number;
  tokens: number;
}

/** Fixed one-minute windows held in memory, the way LiteLLM counts rpm and tpm per deployment. */
export function createLocalUsageSource(): UsageSource {
  const counters = new Map<string, MinuteCounter>();
  const current = (deploymentId: string, now: number): MinuteCounter | undefined => {
    const counter = counters.get(deploymentId);
    if (counter === undefined || counter.minute !== Math.floor(now / 60_000)) return undefined;
    return counter;
  };
  return {
    requests: (deploymentId, now) => current(deploymentId, now)?.requests ?? 0,
    tokens: (deploymentId, now) => current(deploymentId, now)?.tokens ?? 0,
    record(deploymentId, requests, tokens, now) {
      const minute = Math.floor(now / 60_000);
      let counter = counters.get(deploymentId);
      if (counter === undefined) {
        counter = { minute, requests: 0, tokens: 0 };
        counters.set(deploymentId, counter);
      } else if (counter.minute !== minute) {
        counter.minute = minute;
        counter.requests = 0;
        counter.tokens = 0;
      }
      counter.requests += requests;
      counter.tokens += tokens;
    },
  };
}
