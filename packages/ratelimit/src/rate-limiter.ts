// createRateLimiter: checks several limits at once against a Store, and reserve-then-reconcile for token limits.
import { RateLimitError } from './rate-limit-error.ts';
import type { Amounts, Decision, LimitSpec, Store } from './types.ts';
import { validateAmount, validateSpecs } from './validate.ts';

export interface RateLimiterOptions {
  store: Store;
  /** Milliseconds since the epoch, used to tell whether a reservation outlived its TTL. */
  clock?: () => number;
  /** How long held tokens and leases last if never settled (the holder died). Default 10 minutes. */
  reservationTtlMs?: number;
}

export interface Reservation {
  readonly id: string;
  /** Replaces the held estimate with the actual token count; ends any concurrency lease. */
  commit(actualTokens: number): Promise<void>;
  /** Refunds the held tokens and ends any concurrency lease (requests already counted stay counted). */
  release(): Promise<void>;
  /** True once committed or released; later calls are no-ops. */
  readonly settled: boolean;
  /** When the store drops the holds by itself. */
  readonly expiresAt: number;
}

export interface RateLimiter {
  /** Consumes every amount if all limits allow it, otherwise consumes nothing. */
  check(specs: readonly LimitSpec[], amounts: Amounts): Promise<Decision>;
  /** Like check, but token limits and concurrency limits are held until the reservation is settled. */
  reserve(
    specs: readonly LimitSpec[],
    amounts: Amounts,
  ): Promise<{ decision: Decision; reservation?: Reservation | undefined }>;
}

const defaultReservationTtlMs = 10 * 60_000;
// Redis refuses a TTL it cannot hold as an integer, which failed every decision batched with the reserve, not
// only the reserve; a hold outliving its holder by weeks is a configuration mistake, so the cap is also Node's
// largest timer delay.
const maxReservationTtlMs = 2 ** 31 - 1;
const processTag = Math.floor(Math.random() * 36 ** 8).toString(36);
let reservationSequence = 0;

function newReservationId(): string {
  return `${processTag}.${(++reservationSequence).toString(36)}`;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const store = options.store;
  const clock = options.clock ?? Date.now;
  const ttlMs = options.reservationTtlMs ?? defaultReservationTtlMs;
  if (!(ttlMs > 0 && ttlMs <= maxReservationTtlMs)) {
    throw RateLimitError.invalid(
      `reservationTtlMs must be > 0 and at most ${maxReservationTtlMs} (about 24 days; got ${ttlMs}).`,
    );
  }

  function amountsOf(amounts: Amounts): { requests: number; tokens: number } {
    return {
      requests: amounts.requests === undefined ? 1 : validateAmount('requests', amounts.requests),
      tokens: amounts.tokens === undefined ? 0 : validateAmount('tokens', amounts.tokens),
    };
  }

  return {
    check(specs, amounts) {
      try {
        validateSpecs(specs);
        const requests = amounts.requests === undefined ? 1 : validateAmount('requests', amounts.requests);
        const tokens = amounts.tokens === undefined ? 0 : validateAmount('tokens', amounts.tokens);
        return store.decide({ specs, requests, tokens });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async reserve(specs, amounts) {
      validateSpecs(specs);
      const { requests, tokens } = amountsOf(amounts);
      const id = newReservationId();
      const expiresAt = clock() + ttlMs;
      const decision = await store.decide({ specs, requests, tokens, reservation: { id, ttlMs } });
      if (!decision.allowed) return { decision };
      let settled = false;
      const settle = (actualTokens: number | undefined): Promise<void> => {
        if (settled) return Promise.resolve();
        settled = true;
        return store.settle({ specs, reservationId: id, requests, tokens, actualTokens });
      };
      const reservation: Reservation = {
        id,
        expiresAt,
        get settled() {
          return settled;
        },
        commit: (actualTokens) => {
          try {
            return settle(validateAmount('actualTokens', actualTokens));
          } catch (error) {
            return Promise.reject(error);
          }
        },
        release: () => settle(undefined),
      };
      return { decision, reservation };
    },
  };
}
