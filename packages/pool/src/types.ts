// Public types of @gw/pool: options, requests, responses, stats and hooks.
import type { LookupFunction } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { PoolError } from './pool-error.ts';
import type { ResponseBody } from './response-body.ts';
import type { Timeouts } from './timeouts.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Settings that may differ per upstream origin. */
export interface OriginOptions {
  /** Most connections kept to the origin (each HTTP/2 connection carries many streams). */
  connections: number;
  /** Most requests waiting for a free connection; one more is rejected with GW_ERR_POOL_FULL. */
  maxQueued: number;
  /** How long an idle connection stays open for reuse (server Keep-Alive hints may shorten it). */
  keepAliveTimeoutMs: number;
  timeouts: Partial<Timeouts>;
  /** Negotiate HTTP/2 through TLS ALPN (https origins). */
  allowH2: boolean;
  /** Speak HTTP/2 over cleartext with prior knowledge (http origins that only speak h2c). */
  h2c: boolean;
  /** Streams per HTTP/2 connection counted toward the origin's capacity. */
  maxConcurrentStreams: number;
  /** Connections opened ahead of time when the origin is listed in `prewarm`. */
  prewarmConnections: number;
  /** Extra TLS options (ca, servername, rejectUnauthorized...) for https origins. */
  tls: ConnectionOptions;
}

export interface ConnectEvent {
  origin: string;
  connectMs: number;
}

export interface HeadersEvent {
  origin: string;
  status: number;
  /** From `request()` to response headers, queueing included. */
  headersMs: number;
}

export interface CompleteEvent {
  origin: string;
  status: number | undefined;
  /** Response body bytes received from upstream. */
  bytes: number;
  durationMs: number;
  error: PoolError | undefined;
}

/** Observability callbacks; they run synchronously on the hot path, so keep them cheap. */
export interface PoolHooks {
  onConnect?(event: ConnectEvent): void;
  onHeaders?(event: HeadersEvent): void;
  onComplete?(event: CompleteEvent): void;
}

export interface UpstreamPoolOptions {
  /** Connections per origin. Default 256: LLM calls hold a connection for seconds to minutes. */
  connections?: number;
  /** Requests queued per origin beyond the connections. Default 512. */
  maxQueued?: number;
  /** Default 30 000 ms. */
  keepAliveTimeoutMs?: number;
  timeouts?: Partial<Timeouts>;
  allowH2?: boolean | ((origin: string) => boolean);
  /** Per-origin overrides, keyed by origin (`https://api.openai.com`). */
  origins?: Record<string, Partial<OriginOptions>>;
  /** Origins to connect to right away, so the first calls skip the TCP/TLS handshake. */
  prewarm?: string[];
  /** How long resolved addresses are reused. Default 30 000 ms; 0 turns the cache off. */
  dnsCacheTtlMs?: number;
  /** Resolver behind the DNS cache (default `dns.lookup`). */
  lookup?: LookupFunction;
  /** Bytes buffered per streaming response before the upstream read pauses. Default 64 KiB. */
  highWaterMark?: number;
  hooks?: PoolHooks;
  /** Send every request through this dispatcher instead of the pool's own (tests, proxies). `close()` destroys it. */
  dispatcher?: Dispatcher;
}

export interface UpstreamRequest {
  /** `scheme://host[:port]`, no path. */
  origin: string;
  path: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborting cancels the upstream request at once and frees its connection. */
  signal?: AbortSignal;
  /** True for streamed responses: bounded by the idle timeout instead of the total one. */
  stream?: boolean;
  /** Per-request overrides; `connectMs` is per origin and ignored here. */
  timeouts?: Partial<Timeouts>;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Async-iterable, back-pressured bytes; iteration throws a PoolError if the transfer breaks. */
  body: ResponseBody;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Discard the body and free the connection. */
  cancel(): void;
}

export interface OriginStats {
  /** Open connections. */
  connected: number;
  /** Open connections with no request. */
  free: number;
  /** Open connections with requests on them. */
  busy: number;
  /** Requests sent and awaiting or receiving a response. */
  running: number;
  /** Requests assigned to a connection but not yet written. */
  pending: number;
  /** Requests waiting for a connection. */
  queued: number;
  /** Requests accepted by this pool and not yet finished (what the queue cap counts). */
  inFlight: number;
  /** Requests completed with a full response. */
  served: number;
  errorsByCode: Record<string, number>;
}

export interface UpstreamPool {
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
  stats(): Record<string, OriginStats>;
  /** Refuse new requests and wait for in-flight ones; at the deadline the rest fail with GW_ERR_POOL_CLOSED. */
  drain(options?: { deadlineMs?: number }): Promise<void>;
  /** Refuse new requests, end in-flight ones with GW_ERR_POOL_CLOSED and close every connection. */
  close(): Promise<void>;
}
