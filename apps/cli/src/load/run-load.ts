// The load generator behind `gw bench`: OpenAI chat requests over node:http keep-alive sockets, closed loop
// (N connections back to back) or open loop (constant arrival), recording latency and time to first token.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';

export interface LoadSample {
  /** Milliseconds from the run's start to the request's (scheduled) start. */
  startMs: number;
  latencyMs: number;
  /** Time to the first content token (streams only). */
  ttftMs?: number;
  status?: number;
  ok: boolean;
  /** Why the request failed: `HTTP 429`, `ECONNREFUSED`, `timeout`, `stream incomplete`... */
  error?: string;
}

export interface LoadProgress {
  elapsedMs: number;
  completed: number;
  failed: number;
  inFlight: number;
}

export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds?: number;
  requests?: number;
  /** Requests started per second (open loop); latency then counts from each request's scheduled start. */
  rate?: number;
  stream: boolean;
  timeoutMs: number;
  onProgress?: (progress: LoadProgress) => void;
  progressIntervalMs?: number;
}

export interface LoadOutcome {
  samples: LoadSample[];
  elapsedSeconds: number;
}

interface StreamState {
  sawDone: boolean;
  sawError: string | undefined;
  firstTokenAt: number | undefined;
}

function streamWatcher(state: StreamState, now: () => number) {
  return createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        state.sawDone = true;
        return;
      }
      if (event.event === 'error') {
        state.sawError ??= 'stream error event';
        return;
      }
      // Every chunk is parsed, not only those before the first token: a malformed chunk or an error chunk later
      // in the stream fails the request too.
      let chunk: {
        choices?: Array<{ delta?: { content?: string | null; tool_calls?: unknown[] } }>;
        error?: unknown;
      } | null;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        state.sawError ??= 'malformed chunk';
        return;
      }
      if (chunk?.error) {
        state.sawError ??= 'stream error event';
        return;
      }
      if (state.firstTokenAt !== undefined) return;
      const delta = chunk?.choices?.[0]?.delta;
      if (delta?.content || (Array.isArray(delta?.tool_calls) && delta.tool_calls.length > 0)) {
        state.firstTokenAt = now();
      }
    },
  });
}

export async function runLoad(plan: LoadPlan): Promise<LoadOutcome> {
  const target = new URL(plan.url);
  const secure = target.protocol === 'https:';
  const transport = secure ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: plan.connections });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(plan.body)),
    ...plan.headers,
  };
  const now = (): number => performance.now();
  const runStart = now();
  const deadline =
    plan.durationSeconds === undefined ? Number.POSITIVE_INFINITY : runStart + plan.durationSeconds * 1000;
  const limit = plan.requests ?? Number.POSITIVE_INFINITY;
  const samples: LoadSample[] = [];
  let started = 0;
  let failed = 0;

  const send = (scheduledAt: number): Promise<void> =>
    new Promise((resolve) => {
      let settled = false;
      const sample: LoadSample = { startMs: scheduledAt - runStart, latencyMs: 0, ok: false };
      const settle = (error?: string): void => {
        if (settled) return;
        settled = true;
        sample.latencyMs = now() - scheduledAt;
        if (error === undefined) sample.ok = true;
        else {
          sample.error = error;
          failed++;
        }
        samples.push(sample);
        resolve();
      };
      const request = transport.request(target, { method: 'POST', headers, agent }, (response) => {
        const status = response.statusCode ?? 0;
        sample.status = status;
        const isStream =
          plan.stream && String(response.headers['content-type']).includes('text/event-stream');
        const state: StreamState = { sawDone: false, sawError: undefined, firstTokenAt: undefined };
        const parser = isStream && status < 300 ? streamWatcher(state, now) : undefined;
        response.setEncoding('utf8');
        response.on('data', (text: string) => parser?.feed(text));
        response.on('error', () => settle('response aborted'));
        response.on('aborted', () => settle('response aborted'));
        response.on('end', () => {
          if (status < 200 || status >= 300) return settle(`HTTP ${status}`);
          if (parser) {
            if (state.firstTokenAt !== undefined) sample.ttftMs = state.firstTokenAt - scheduledAt;
            if (state.sawError) return settle(state.sawError);
            if (!state.sawDone) return settle('stream incomplete');
          }
          settle();
        });
      });
      request.setTimeout(plan.timeoutMs, () =>
        request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })),
      );
      request.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
      request.end(plan.body);
    });

  const progressTimer =
    plan.onProgress === undefined
      ? undefined
      : setInterval(() => {
          plan.onProgress?.({
            elapsedMs: now() - runStart,
            completed: samples.length,
            failed,
            inFlight: started - samples.length,
          });
        }, plan.progressIntervalMs ?? 250);
  progressTimer?.unref();

  try {
    if (plan.rate === undefined) {
      const worker = async (): Promise<void> => {
        while (started < limit && now() < deadline) {
          started++;
          await send(now());
        }
      };
      await Promise.all(Array.from({ length: plan.connections }, worker));
    } else {
      const intervalMs = 1000 / plan.rate;
      const pending: Promise<void>[] = [];
      await new Promise<void>((resolve) => {
        const tick = (): void => {
          const current = now();
          // Start every request that is due: timers fire late under load and skipping them would hide it.
          while (started < limit) {
            const due = runStart + started * intervalMs;
            if (due > current || due >= deadline) break;
            started++;
            pending.push(send(due));
          }
          const next = runStart + started * intervalMs;
          if (started >= limit || next >= deadline) {
            resolve();
            return;
          }
          setTimeout(tick, Math.max(0, next - now()));
        };
        tick();
      });
      await Promise.all(pending);
    }
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    agent.destroy();
  }
  samples.sort((a, b) => a.startMs - b.startMs);
  return { samples, elapsedSeconds: (now() - runStart) / 1000 };
}
