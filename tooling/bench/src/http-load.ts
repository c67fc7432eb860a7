// HTTP load against any URL: autocannon for plain closed-loop runs, a small engine of our own for constant
// arrival rate (open loop) and for streams, where time to first byte matters.

import autocannon from 'autocannon';
import { runOwnEngine } from './load-engine.ts';
import { type Summary, summarize } from './statistics.ts';

export interface HttpLoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string or buffer is sent as is; an object is sent as JSON. */
  body?: string | Buffer | Record<string, unknown>;
  /** Concurrent connections (closed loop: also the concurrency; open loop: the connection pool size). */
  connections: number;
  /** Run length; default 10 s unless `requests` is given. */
  durationSeconds?: number;
  /** Stop after this many requests instead of after a duration. */
  requests?: number;
  /**
   * Constant arrival mode: start this many requests per second whatever the server's pace, and measure latency
   * from each request's scheduled start, so a stalling server is not hidden (no coordinated omission).
   */
  rate?: number;
  /** Read bodies as streams and record time to first byte. */
  stream?: boolean;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export type LoadEngine = 'autocannon' | 'closed-loop' | 'open-loop';

export interface LoadResult {
  url: string;
  engine: LoadEngine;
  connections: number;
  rate?: number;
  /** Wall time from the first request to the last response, in seconds. */
  elapsedSeconds: number;
  /** Requests that got a response or failed. */
  requests: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses per HTTP status code. */
  statusCounts: Record<string, number>;
  /** Requests that got no response at all (connection refused, reset, timeout), by message. */
  errors: number;
  errorMessages: Record<string, number>;
  requestsPerSecond: number;
  /** Latency of requests that got a response, in milliseconds. */
  latencyMs: Summary;
  /** Time to first byte, in milliseconds (stream and open-loop modes). */
  ttfbMs?: Summary;
  bytesRead: number;
}

function requestBody(options: HttpLoadOptions): { body?: string | Buffer; headers: Record<string, string> } {
  const headers = { ...options.headers };
  if (options.body === undefined || typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
    return options.body === undefined ? { headers } : { body: options.body, headers };
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return { body: JSON.stringify(options.body), headers };
}

function validate(options: HttpLoadOptions): void {
  if (!(Number.isInteger(options.connections) && options.connections > 0)) {
    throw new RangeError(`httpLoad(): connections must be a positive integer, got ${options.connections}`);
  }
  if (options.rate !== undefined && !(options.rate > 0)) {
    throw new RangeError(`httpLoad(): rate must be positive, got ${options.rate}`);
  }
  if (options.requests !== undefined && !(Number.isInteger(options.requests) && options.requests > 0)) {
    throw new RangeError(`httpLoad(): requests must be a positive integer, got ${options.requests}`);
  }
}

function runAutocannon(
  options: HttpLoadOptions,
  body: string | Buffer | undefined,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let bytesRead = 0;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: options.url,
        method: (options.method ?? 'GET') as autocannon.Request['method'],
        headers,
        ...(body === undefined ? {} : { body }),
        connections: options.connections,
        ...(options.requests === undefined
          ? { duration: options.durationSeconds ?? 10 }
          : { amount: options.requests }),
        timeout: Math.ceil((options.timeoutMs ?? 30_000) / 1000),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        const errors = result.errors;
        const requests = latencies.length + errors;
        resolve({
          url: options.url,
          engine: 'autocannon',
          connections: options.connections,
          elapsedSeconds,
          requests,
          ok: Object.entries(statusCounts).reduce(
            (sum, [status, count]) => (status.startsWith('2') ? sum + count : sum),
            0,
          ),
          statusCounts,
          errors,
          errorMessages:
            errors > 0 ? { [`${result.timeouts} timeouts, ${errors - result.timeouts} other`]: errors } : {},
          requestsPerSecond: latencies.length / elapsedSeconds,
          latencyMs: summarize(latencies),
          bytesRead,
        });
      },
    );
    instance.on('response', (_client, statusCode, responseBytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      bytesRead += responseBytes;
    });
  });
}

/** Loads `url` and returns latency percentiles, throughput and status counts. */
export async function httpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  validate(options);
  const { body, headers } = requestBody(options);
  if (options.rate === undefined && !options.stream) return runAutocannon(options, body, headers);
  const outcome = await runOwnEngine({
    url: options.url,
    method: options.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
    connections: options.connections,
    ...(options.requests === undefined ? { durationSeconds: options.durationSeconds ?? 10 } : {}),
    ...(options.requests === undefined ? {} : { requests: options.requests }),
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const responded = outcome.samples.filter((sample) => sample.status !== undefined);
  const statusCounts: Record<string, number> = {};
  for (const sample of responded) statusCounts[sample.status!] = (statusCounts[sample.status!] ?? 0) + 1;
  const errorMessages: Record<string, number> = {};
  for (const sample of outcome.samples) {
    if (sample.error !== undefined) errorMessages[sample.error] = (errorMessages[sample.error] ?? 0) + 1;
  }
  return {
    url: options.url,
    engine: options.rate === undefined ? 'closed-loop' : 'open-loop',
    connections: options.connections,
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    elapsedSeconds: outcome.elapsedSeconds,
    requests: outcome.samples.length,
    ok: responded.filter((sample) => sample.status! >= 200 && sample.status! < 300).length,
    statusCounts,
    errors: outcome.samples.length - responded.length,
    errorMessages,
    requestsPerSecond: responded.length / outcome.elapsedSeconds,
    latencyMs: summarize(responded.map((sample) => sample.latencyMs)),
    ttfbMs: summarize(responded.map((sample) => sample.ttfbMs!)),
    bytesRead: outcome.bytesRead,
  };
}
