// Active health: periodic probes of every deployment, feeding the same breakers as real traffic.
import type { ErrorClassifier } from './error-class.ts';
import type { RoutedDeployment } from './routed-deployment.ts';
import type { HealthCheckOptions } from './router-types.ts';
import type { Timers } from './timers.ts';

export class HealthChecker {
  readonly #members: readonly RoutedDeployment[];
  readonly #options: HealthCheckOptions;
  readonly #timers: Timers;
  readonly #clock: () => number;
  readonly #classify: ErrorClassifier;
  #handle: unknown;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    members: readonly RoutedDeployment[],
    options: HealthCheckOptions,
    timers: Timers,
    clock: () => number,
    classify: ErrorClassifier,
  ) {
    this.#members = members;
    this.#options = options;
    this.#timers = timers;
    this.#clock = clock;
    this.#classify = classify;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#handle = this.#timers.setTimeout(() => {
      this.#running = this.checkAll().finally(() => this.#schedule());
    }, this.#options.intervalMs);
  }

  async #check(member: RoutedDeployment): Promise<void> {
    try {
      await this.#options.probe(member.deployment);
      const breaker = member.breaker;
      // A passing probe says nothing about a provider's rate limit: that breaker waits for its Retry-After.
      if (breaker.state(this.#clock()) === 'half-open' || breaker.openReason() !== 'rate_limit') {
        breaker.onProbeSuccess();
      }
    } catch (error) {
      const classified = this.#classify(error);
      member.breaker.onFailure(this.#clock(), false, classified.errorClass, classified.retryAfterMs);
    }
  }

  async checkAll(): Promise<void> {
    await Promise.allSettled(this.#members.map((member) => this.#check(member)));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#timers.clearTimeout(this.#handle);
    await this.#running;
  }
}
