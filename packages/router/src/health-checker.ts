// Active health: periodic probes of every deployment, feeding the same breakers as real traffic.
import type { ClassifiedError, ErrorClassifier } from './error-class.ts';
import type { RoutedDeployment } from './routed-deployment.ts';
import type { HealthCheckOptions } from './router-types.ts';
import type { Timers } from './timers.ts';

/** Settles with the probe, or rejects with the signal's reason once it aborts, whether or not the probe listens. */
function untilAborted(probe: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    probe.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class HealthChecker {
  readonly #members: readonly RoutedDeployment[];
  readonly #options: HealthCheckOptions;
  readonly #timers: Timers;
  readonly #clock: () => number;
  readonly #classify: ErrorClassifier;
  readonly #timeoutMs: number;
  /** One per probe still running, so stop() can end them. */
  readonly #probes = new Set<AbortController>();
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
    this.#timeoutMs = options.timeoutMs ?? options.intervalMs;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#handle = this.#timers.setTimeout(() => {
      this.#running = this.checkAll().finally(() => this.#schedule());
    }, this.#options.intervalMs);
  }

  async #check(member: RoutedDeployment): Promise<void> {
    const controller = new AbortController();
    this.#probes.add(controller);
    let timedOut = false;
    // The next round starts only when this one has settled: a probe that never answers must not stall every
    // deployment's checks, nor close().
    const handle = this.#timers.setTimeout(() => {
      timedOut = true;
      controller.abort(
        new DOMException(
          `The health probe of deployment "${member.deployment.id}" gave no answer within ${this.#timeoutMs} ms.`,
          'TimeoutError',
        ),
      );
    }, this.#timeoutMs);
    try {
      let probe: Promise<void>;
      try {
        probe = this.#options.probe(member.deployment, controller.signal);
      } catch (error) {
        probe = Promise.reject(error);
      }
      await untilAborted(probe, controller.signal);
      const breaker = member.breaker;
      // A passing probe says nothing about a provider's rate limit: that breaker waits for its Retry-After.
      if (breaker.state(this.#clock()) === 'half-open' || breaker.openReason() !== 'rate_limit') {
        breaker.onProbeSuccess();
      }
    } catch (error) {
      // Ended by stop(): that says nothing about the deployment.
      if (this.#stopped && !timedOut) return;
      const classified: ClassifiedError = timedOut ? { errorClass: 'timeout' } : this.#classify(error);
      member.breaker.onFailure(this.#clock(), false, classified.errorClass, classified.retryAfterMs);
    } finally {
      this.#timers.clearTimeout(handle);
      this.#probes.delete(controller);
    }
  }

  async checkAll(): Promise<void> {
    const includes = this.#options.includes;
    const probed =
      includes === undefined ? this.#members : this.#members.filter((member) => includes(member.deployment));
    await Promise.allSettled(probed.map((member) => this.#check(member)));
  }

  /** Stops the schedule and ends running probes (their signals abort) without waiting on probes that ignore it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#timers.clearTimeout(this.#handle);
    for (const controller of this.#probes) {
      controller.abort(new DOMException('The router was closed.', 'AbortError'));
    }
    await this.#running;
  }
}
