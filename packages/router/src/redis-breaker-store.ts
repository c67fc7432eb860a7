// A breaker store shared by gateway instances through Redis: a local view for reads, synced every interval.
import type { BreakerStore, BreakerTrip } from './breaker-store.ts';
import { type ErrorClass, errorClasses } from './error-class.ts';
import { systemTimers, type Timers } from './timers.ts';

/**
 * The three hash commands the store uses. An ioredis `Redis` (or `Cluster`) is one; declaring only these keeps
 * ioredis's types out of this package's declarations, so consumers without ioredis still type-check.
 */
export interface BreakerRedisClient {
  hgetall(key: string): Promise<Record<string, string>>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  hdel(key: string, field: string): Promise<unknown>;
}

export interface RedisBreakerStoreOptions {
  /** An ioredis client owned by the caller; the store never closes it. */
  client: BreakerRedisClient;
  /** Key prefix; the trips live in one hash at `${prefix}:breakers`. Default `gw:router`. */
  prefix?: string;
  /** How often the local view is refreshed from Redis. Default 250 ms, so changes show within a second. */
  syncIntervalMs?: number;
  timers?: Timers;
  /** Redis failures never reach the routing path; they are reported here. */
  onError?: (error: unknown) => void;
}

export interface RedisBreakerStore extends BreakerStore {
  /** Refreshes the local view now; resolves once it reflects Redis. */
  sync(): Promise<void>;
}

function encode(trip: BreakerTrip): string {
  return `${trip.until}|${trip.reason}`;
}

function decode(value: string): BreakerTrip | undefined {
  const separator = value.indexOf('|');
  const until = Number(value.slice(0, separator));
  const reason = value.slice(separator + 1);
  if (separator < 0 || !Number.isFinite(until) || !(errorClasses as readonly string[]).includes(reason)) {
    return undefined;
  }
  return { until, reason: reason as ErrorClass };
}

export function createRedisBreakerStore(options: RedisBreakerStoreOptions): RedisBreakerStore {
  const { client } = options;
  const key = `${options.prefix ?? 'gw:router'}:breakers`;
  const intervalMs = options.syncIntervalMs ?? 250;
  const timers = options.timers ?? systemTimers;
  const onError = options.onError ?? (() => {});
  let view = new Map<string, BreakerTrip>();
  // Local writes made while a sync is in flight win over its (older) snapshot.
  let changesDuringSync: Map<string, BreakerTrip | null> | undefined;
  let handle: unknown;
  let closed = false;
  let syncing: Promise<void> | undefined;

  const remember = (deploymentId: string, trip: BreakerTrip | null): void => {
    changesDuringSync?.set(deploymentId, trip);
    if (trip === null) view.delete(deploymentId);
    else view.set(deploymentId, trip);
  };

  const syncOnce = async (): Promise<void> => {
    changesDuringSync = new Map();
    try {
      const snapshot = await client.hgetall(key);
      const next = new Map<string, BreakerTrip>();
      for (const [deploymentId, value] of Object.entries(snapshot)) {
        const trip = decode(value);
        if (trip !== undefined) next.set(deploymentId, trip);
      }
      for (const [deploymentId, trip] of changesDuringSync) {
        if (trip === null) next.delete(deploymentId);
        else next.set(deploymentId, trip);
      }
      view = next;
    } catch (error) {
      onError(error);
    } finally {
      changesDuringSync = undefined;
    }
  };

  const sync = (): Promise<void> => {
    syncing ??= syncOnce().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };

  const schedule = (): void => {
    if (closed) return;
    handle = timers.setTimeout(() => {
      void sync().finally(schedule);
    }, intervalMs);
  };

  void sync();
  schedule();

  return {
    read: (deploymentId) => view.get(deploymentId),
    open(deploymentId, trip) {
      const copy = { until: trip.until, reason: trip.reason };
      remember(deploymentId, copy);
      client.hset(key, deploymentId, encode(copy)).catch(onError);
    },
    clear(deploymentId) {
      remember(deploymentId, null);
      client.hdel(key, deploymentId).catch(onError);
    },
    sync,
    async close() {
      closed = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      await syncing;
    },
  };
}
