// What the router has learned about one deployment: load, latency averages and outcomes; strategies read it.
import type { Deployment } from './deployment.ts';

export interface LatencyOptions {
  /** Weight of a new latency sample in the plain moving average used by `latency-based-routing`. */
  ewmaAlpha: number;
  /** Decay time of the peak-EWMA cost used by `p2c-peak-ewma` (Finagle uses 10 s). */
  peakDecayMs: number;
  /**
   * Added to a failed attempt's latency before it is recorded: a failure costs the caller its own time plus a
   * retry elsewhere, so a deployment failing fast must not look fast.
   */
  failurePenaltyMs: number;
}

export const defaultLatencyOptions: LatencyOptions = {
  ewmaAlpha: 0.3,
  peakDecayMs: 10_000,
  failurePenaltyMs: 500,
};

export class DeploymentStats {
  readonly deployment: Deployment;
  /** Position within its priority tier; strategies index their own arrays with it. */
  slot = 0;
  inFlight = 0;
  /** Moving average of whole-call latency, -1 until a sample arrives. */
  latencyMs = -1;
  /** Moving average of time to first token for streams, -1 until a sample arrives. */
  ttftMs = -1;
  successes = 0;
  failures = 0;
  /** Input plus output price per token, what `cost-based-routing` ranks by. */
  readonly costPerToken: number;
  #pendingCount = 0;
  #pendingStartSum = 0;
  #peakCost = 0;
  #peakStamp = 0;
  readonly #options: LatencyOptions;

  constructor(deployment: Deployment, options: LatencyOptions) {
    this.deployment = deployment;
    this.#options = options;
    this.costPerToken = (deployment.inputCostPerToken ?? 0) + (deployment.outputCostPerToken ?? 0);
  }

  /** Peak-EWMA latency at `now`: jumps up to any slower sample at once, decays back over time. */
  peakEwmaMs(now: number): number {
    if (this.#peakCost === 0) return 0;
    const elapsed = Math.max(0, now - this.#peakStamp);
    return this.#peakCost * Math.exp(-elapsed / this.#options.peakDecayMs);
  }

  /** Counts a request as in flight from `now`; pass the same `now` to `finishRequest`. */
  startRequest(now: number): void {
    this.inFlight++;
    this.#pendingCount++;
    this.#pendingStartSum += now;
  }

  finishRequest(startedAt: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.#pendingCount === 0) return;
    this.#pendingCount--;
    this.#pendingStartSum = this.#pendingCount === 0 ? 0 : this.#pendingStartSum - startedAt;
  }

  /** How long, on average, the requests now in flight have been waiting. */
  pendingAgeMs(now: number): number {
    return this.#pendingCount === 0 ? 0 : now - this.#pendingStartSum / this.#pendingCount;
  }

  #observePeak(sampleMs: number, now: number): void {
    const current = this.peakEwmaMs(now);
    if (sampleMs > current) this.#peakCost = sampleMs;
    else {
      const weight = Math.exp(-Math.max(0, now - this.#peakStamp) / this.#options.peakDecayMs);
      this.#peakCost = this.#peakCost * weight + sampleMs * (1 - weight);
    }
    this.#peakStamp = now;
  }

  #average(previous: number, sample: number): number {
    if (previous < 0) return sample;
    return previous + this.#options.ewmaAlpha * (sample - previous);
  }

  observeSuccess(latencyMs: number, ttftMs: number | undefined, now: number): void {
    this.successes++;
    this.latencyMs = this.#average(this.latencyMs, latencyMs);
    if (ttftMs !== undefined) this.ttftMs = this.#average(this.ttftMs, ttftMs);
    this.#observePeak(ttftMs ?? latencyMs, now);
  }

  observeFailure(latencyMs: number, now: number): void {
    this.failures++;
    const penalized = latencyMs + this.#options.failurePenaltyMs;
    this.latencyMs = this.#average(this.latencyMs, penalized);
    if (this.ttftMs >= 0) this.ttftMs = this.#average(this.ttftMs, penalized);
    this.#observePeak(penalized, now);
  }
}
