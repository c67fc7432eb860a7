// A retry budget (as in Finagle and gRPC): retries may add at most a fraction of the requests seen in a window.

export interface RetryBudgetOptions {
  /** Retries allowed per request, e.g. 0.2 lets retries add at most 20% to the load. */
  ratio: number;
  windowMs: number;
  /** A floor so a quiet gateway can still retry, in retries per second. Default 0. */
  minRetriesPerSecond?: number;
}

const bucketCount = 10;

export class RetryBudget {
  readonly #ratio: number;
  readonly #bucketMs: number;
  readonly #floor: number;
  // Ring buffers of per-bucket counts; the window slides one bucket at a time, without allocation.
  readonly #requests = new Float64Array(bucketCount);
  readonly #retries = new Float64Array(bucketCount);
  #bucketStart = 0;
  #cursor = 0;

  constructor(options: RetryBudgetOptions) {
    this.#ratio = options.ratio;
    this.#bucketMs = Math.max(1, options.windowMs / bucketCount);
    this.#floor = ((options.minRetriesPerSecond ?? 0) * options.windowMs) / 1000;
  }

  #advance(now: number): void {
    if (this.#bucketStart === 0) this.#bucketStart = now;
    let steps = Math.floor((now - this.#bucketStart) / this.#bucketMs);
    if (steps <= 0) return;
    this.#bucketStart += steps * this.#bucketMs;
    if (steps > bucketCount) steps = bucketCount;
    for (let step = 0; step < steps; step++) {
      this.#cursor = (this.#cursor + 1) % bucketCount;
      this.#requests[this.#cursor] = 0;
      this.#retries[this.#cursor] = 0;
    }
  }

  #sum(counts: Float64Array): number {
    let total = 0;
    for (let index = 0; index < bucketCount; index++) total += counts[index] as number;
    return total;
  }

  recordRequest(now: number): void {
    this.#advance(now);
    this.#requests[this.#cursor] = (this.#requests[this.#cursor] as number) + 1;
  }

  /** Spends one retry if the budget allows it; false means the caller must give up. */
  tryRetry(now: number): boolean {
    this.#advance(now);
    const allowed = this.#floor + this.#ratio * this.#sum(this.#requests);
    if (this.#sum(this.#retries) + 1 > allowed) return false;
    this.#retries[this.#cursor] = (this.#retries[this.#cursor] as number) + 1;
    return true;
  }

  snapshot(now: number): { requests: number; retries: number } {
    this.#advance(now);
    return { requests: this.#sum(this.#requests), retries: this.#sum(this.#retries) };
  }
}
