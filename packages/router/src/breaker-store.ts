// Where open breakers ("trips") live, so several gateway instances can share them; the in-memory default.
import type { ErrorClass } from './error-class.ts';

export interface BreakerTrip {
  /** Clock time (ms) until which the deployment gets no traffic; after it, half-open probes. */
  until: number;
  reason: ErrorClass;
}

/**
 * Reads are synchronous because the router consults them on every pick; a shared store answers from a local
 * view and syncs it in the background. Writes are fire-and-forget for the same reason.
 */
export interface BreakerStore {
  read(deploymentId: string): BreakerTrip | undefined;
  /** Records an opened breaker. */
  open(deploymentId: string, trip: BreakerTrip): void;
  /** Records a closed breaker (a half-open probe succeeded). */
  clear(deploymentId: string): void;
  close(): Promise<void>;
}

/** One process: share an instance between routers to share their breaker state. */
export function createMemoryBreakerStore(): BreakerStore {
  const trips = new Map<string, BreakerTrip>();
  return {
    read: (deploymentId) => trips.get(deploymentId),
    open(deploymentId, trip) {
      trips.set(deploymentId, { until: trip.until, reason: trip.reason });
    },
    clear(deploymentId) {
      trips.delete(deploymentId);
    },
    async close() {},
  };
}
