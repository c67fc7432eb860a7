// Raw HTTP for fault tests: what arrived (status, headers, body bytes) and how the connection ended.
import { request } from 'node:http';

export interface RawResult {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The error the connection ended with, if it did not end cleanly. */
  error?: NodeJS.ErrnoException;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Called with the body received so far on every data event. */
  onData?: (bodySoFar: string) => void;
}

export function rawRequest(url: string, options: RawOptions = {}): Promise<RawResult> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const result: RawResult = { headers: {}, body: '' };
    const req = request(url, {
      method: options.method ?? 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...options.headers },
    });
    req.on('response', (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        result.body += text;
        options.onData?.(result.body);
      });
      res.on('end', () => resolve(result));
      res.on('error', (error) => {
        result.error = error;
        resolve(result);
      });
      res.on('aborted', () => {
        result.error ??= Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      });
    });
    req.on('error', (error) => {
      result.error = error;
      resolve(result);
    });
    req.end(payload);
  });
}

/** The JSON payloads of `data:` lines, `[DONE]` kept as the string. */
export function dataPayloads(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));
}

export const openAIHeaders = { authorization: 'Bearer sk-test-key-0001' };
export const anthropicHeaders = { 'x-api-key': 'sk-ant-test-0001', 'anthropic-version': '2023-06-01' };

export function chatBody(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: 'Say something.' }], ...extra };
}

/** A clock whose timers fire only when the test says so. */
export class ManualClock {
  time = 1_000_000;
  readonly timers: { ms: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  now = (): number => this.time;

  setTimeout = (callback: () => void, ms: number): unknown => {
    const handle = this.nextHandle++;
    this.timers.push({ ms, callback, handle });
    return handle;
  };

  clearTimeout = (handle: unknown): void => {
    const index = this.timers.findIndex((timer) => timer.handle === handle);
    if (index !== -1) this.timers.splice(index, 1);
  };

  /** Fires the oldest pending timer and returns its delay. */
  fireNext(): number {
    const timer = this.timers.shift();
    if (timer === undefined) throw new Error('no pending timer');
    this.time += timer.ms;
    timer.callback();
    return timer.ms;
  }

  /** Resolves once a timer is pending (the server reached its sleep). */
  async pending(): Promise<number> {
    while (this.timers.length === 0) await new Promise((resolve) => setImmediate(resolve));
    return this.timers[0]?.ms ?? 0;
  }
}
