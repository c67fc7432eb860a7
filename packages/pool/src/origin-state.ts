// Per-origin bookkeeping: the undici pool, the queue cap and the counters behind stats().

import type { LookupFunction } from 'node:net';
import type { Dispatcher, Pool as UndiciPool } from 'undici';
import { createOriginConnector, type OriginConnector } from './connector.ts';
import type { PoolError } from './pool-error.ts';
import type { Timeouts } from './timeouts.ts';
import type { OriginOptions, OriginStats, PoolHooks } from './types.ts';
import { Pool } from './undici-parts.ts';

export interface OriginSettings {
  origin: string;
  options: OriginOptions;
  timeouts: Readonly<Timeouts>;
  lookup: LookupFunction | undefined;
  hooks: PoolHooks | undefined;
  highWaterMark: number;
  /** A shared dispatcher to use instead of a pool of our own. */
  dispatcher: Dispatcher | undefined;
  onIdle: () => void;
}

export class OriginState {
  readonly origin: string;
  readonly dispatcher: Dispatcher;
  readonly timeouts: Readonly<Timeouts>;
  readonly hooks: PoolHooks | undefined;
  readonly timed: boolean;
  readonly highWaterMark: number;
  /** Requests accepted at once: every connection busy plus the queue. */
  readonly capacity: number;
  inFlight = 0;
  served = 0;
  readonly errorsByCode: Record<string, number> = {};
  readonly #pool: UndiciPool | undefined;
  readonly #connector: OriginConnector | undefined;
  readonly #onIdle: () => void;

  constructor(settings: OriginSettings) {
    const { origin, options, timeouts } = settings;
    this.origin = origin;
    this.timeouts = timeouts;
    this.hooks = settings.hooks;
    this.timed = settings.hooks?.onHeaders !== undefined || settings.hooks?.onComplete !== undefined;
    this.highWaterMark = settings.highWaterMark;
    this.#onIdle = settings.onIdle;
    const multiplexed = options.allowH2 || options.h2c;
    this.capacity =
      options.connections * (multiplexed ? options.maxConcurrentStreams : 1) + options.maxQueued;
    if (settings.dispatcher !== undefined) {
      this.dispatcher = settings.dispatcher;
      return;
    }
    this.#connector = createOriginConnector({
      origin,
      connectMs: timeouts.connectMs,
      options,
      lookup: settings.lookup,
      hooks: settings.hooks,
    });
    this.#pool = new Pool(origin, {
      connections: options.connections,
      // LLM calls last seconds to minutes: pipelining would only add head-of-line blocking.
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      headersTimeout: timeouts.headersMs,
      // The idle (between body chunks) timer is gw's own: undici's HTTP/2 stream timer keeps running while the
      // consumer has paused the body, which would turn a slow client into an upstream timeout.
      bodyTimeout: 0,
      allowH2: multiplexed,
      useH2c: options.h2c,
      maxConcurrentStreams: options.maxConcurrentStreams,
      connect: this.#connector.connect,
    } as UndiciPool.Options);
    this.dispatcher = this.#pool;
  }

  prewarm(count: number): void {
    this.#connector?.prewarm(count);
  }

  finished(error: PoolError | undefined): void {
    this.inFlight--;
    if (error === undefined) this.served++;
    else this.countError(error.code);
    if (this.inFlight === 0) this.#onIdle();
  }

  countError(code: string): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
  }

  stats(): OriginStats {
    const pool = this.#pool?.stats;
    const connected = pool?.connected ?? 0;
    const free = pool?.free ?? 0;
    return {
      connected,
      free,
      busy: connected - free,
      running: pool?.running ?? 0,
      // undici's pending includes its pool-level queue; report the two apart.
      pending: (pool?.pending ?? 0) - (pool?.queued ?? 0),
      queued: pool?.queued ?? 0,
      inFlight: this.inFlight,
      served: this.served,
      errorsByCode: { ...this.errorsByCode },
    };
  }

  async destroy(reason: PoolError): Promise<void> {
    this.#connector?.destroy();
    await this.dispatcher.destroy(reason);
  }
}
