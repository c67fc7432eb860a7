// A small HTTP load engine on node:http: closed loop (N workers back to back) or open loop (constant arrival).

import http from 'node:http';
import https from 'node:https';

export interface EngineOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  connections: number;
  durationSeconds?: number;
  requests?: number;
  rate?: number;
  timeoutMs: number;
}

export interface RequestSample {
  /** Milliseconds from the run's start to the request's (scheduled) start. */
  startMs: number;
  status?: number;
  latencyMs: number;
  ttfbMs?: number;
  error?: string;
}

export interface EngineOutcome {
  samples: RequestSample[];
  elapsedSeconds: number;
  bytesRead: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs the load and resolves when every started request has finished or failed. */
export async function runOwnEngine(options: EngineOptions): Promise<EngineOutcome> {
  const target = new URL(options.url);
  const secure = target.protocol === 'https:';
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: options.connections });
  const transport = secure ? https : http;
  const samples: RequestSample[] = [];
  let bytesRead = 0;
  const runStart = nowMs();
  const deadline =
    options.durationSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : runStart + options.durationSeconds * 1000;
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  let started = 0;
  // node:http frames a body with neither Content-Length nor chunked encoding for GET, so the server would read it
  // as the next request: declare its length (a caller's own header wins).
  const headers =
    options.body === undefined
      ? options.headers
      : { 'content-length': String(Buffer.byteLength(options.body)), ...options.headers };

  const send = (scheduledAt: number): Promise<void> =>
    new Promise((resolve) => {
      const sample: RequestSample = { startMs: scheduledAt - runStart, latencyMs: 0 };
      let done = false;
      const finish = (error?: string): void => {
        if (done) return;
        done = true;
        sample.latencyMs = nowMs() - scheduledAt;
        if (error !== undefined) {
          sample.error = error;
          delete sample.status;
        }
        samples.push(sample);
        resolve();
      };
      const request = transport.request(target, { method: options.method, headers, agent }, (response) => {
        sample.status = response.statusCode ?? 0;
        response.on('data', (chunk: Buffer) => {
          if (sample.ttfbMs === undefined) sample.ttfbMs = nowMs() - scheduledAt;
          bytesRead += chunk.length;
        });
        response.on('end', () => {
          sample.ttfbMs ??= nowMs() - scheduledAt;
          finish();
        });
        response.on('error', (error) => finish(error.message));
        response.on('aborted', () => finish('response aborted'));
      });
      request.setTimeout(options.timeoutMs, () =>
        request.destroy(new Error(`timeout after ${options.timeoutMs} ms`)),
      );
      request.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      request.end(options.body);
    });

  const inFlight = new Set<Promise<void>>();
  const track = (promise: Promise<void>): void => {
    inFlight.add(promise);
    void promise.then(() => inFlight.delete(promise));
  };

  if (options.rate === undefined) {
    const worker = async (): Promise<void> => {
      while (started < limit && nowMs() < deadline) {
        started++;
        await send(nowMs());
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
  } else {
    const intervalMs = 1000 / options.rate;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = nowMs();
        // Send everything due by now: timers fire late under load, and skipping due requests would hide it.
        while (started < limit) {
          const due = runStart + started * intervalMs;
          if (due > now || due >= deadline) break;
          started++;
          track(send(due));
        }
        const next = runStart + started * intervalMs;
        if (started >= limit || next >= deadline) {
          resolve();
          return;
        }
        setTimeout(tick, Math.max(0, next - nowMs()));
      };
      tick();
    });
  }
  await Promise.all(inFlight);
  agent.destroy();
  samples.sort((a, b) => a.startMs - b.startMs);
  return { samples, elapsedSeconds: (nowMs() - runStart) / 1000, bytesRead };
}
