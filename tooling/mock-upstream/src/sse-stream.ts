// Plays a server-sent event stream with the scenario's timing and stream faults (cut, stall, malformed, error, no terminator).
import { sleep } from './clock.ts';
import type { Exchange } from './exchange.ts';
import { commonHeaders, cutConnection } from './http-reply.ts';
import { chunkDelay, firstTokenDelay } from './scenario.ts';

export interface SseScript {
  /** Frames sent together with the first content frame (after the first-token delay). */
  head: string[];
  /** One frame per content chunk; faults count these. */
  content: string[];
  /** Frames after the content (finish reason, usage). */
  tail: string[];
  /** `data: [DONE]` or `message_stop`, left out by omitDone. */
  terminator: string;
  /** An invalid-JSON frame in this dialect. */
  malformed: string;
  /** The in-stream error frame in this dialect. */
  error: (type: string | undefined, message: string | undefined) => string;
}

export function dataFrame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export function eventFrame(event: string, value: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

function write(exchange: Exchange, text: string): Promise<void> {
  const { response } = exchange;
  if (response.destroyed) return Promise.resolve();
  if (response.write(text)) return Promise.resolve();
  // Respect backpressure so a slow client cannot make the mock buffer without bound.
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

type Interruption = 'cut' | 'stall' | 'error';

function interruptionAt(exchange: Exchange, sent: number): Interruption | undefined {
  const { scenario } = exchange;
  if (scenario.cutAfterChunks !== undefined && sent === scenario.cutAfterChunks) return 'cut';
  if (scenario.stallAfterChunks !== undefined && sent === scenario.stallAfterChunks) return 'stall';
  if (scenario.streamError !== undefined && sent === (scenario.streamError.afterChunks ?? 0)) return 'error';
  return undefined;
}

/** Clamp fault positions past the end of the content to "after the last chunk", before any terminator. */
function clampedInterruption(exchange: Exchange, total: number): Interruption | undefined {
  const { scenario } = exchange;
  if (scenario.cutAfterChunks !== undefined && scenario.cutAfterChunks >= total) return 'cut';
  if (scenario.stallAfterChunks !== undefined && scenario.stallAfterChunks >= total) return 'stall';
  if (scenario.streamError !== undefined && (scenario.streamError.afterChunks ?? 0) >= total) return 'error';
  return undefined;
}

/**
 * Frames are buffered and written only before a pause, a fault or the end, so a stream without delays costs one
 * socket write instead of one per chunk; the bytes on the wire are the same.
 */
class FrameBuffer {
  private pending = '';

  constructor(private readonly exchange: Exchange) {}

  add(frame: string): void {
    this.pending += frame;
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    await write(this.exchange, text);
  }

  end(): void {
    const text = this.pending;
    this.pending = '';
    this.exchange.response.end(text);
  }

  /** Waits `ms` after flushing; false when the exchange was aborted meanwhile. */
  async pause(ms: number): Promise<boolean> {
    if (ms <= 0) return !this.exchange.signal.aborted;
    await this.flush();
    return sleep(this.exchange.clock, ms, this.exchange.signal);
  }
}

async function interrupt(
  frames: FrameBuffer,
  exchange: Exchange,
  script: SseScript,
  kind: Interruption,
): Promise<void> {
  if (kind === 'error') {
    const fault = exchange.scenario.streamError;
    frames.add(script.error(fault?.type, fault?.message));
    frames.end();
    return;
  }
  await frames.flush();
  if (kind === 'cut') await cutConnection(exchange);
  // A stall leaves the socket open; close() or the client ends it.
}

export async function playStream(exchange: Exchange, script: SseScript): Promise<void> {
  const { response, scenario } = exchange;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...commonHeaders(exchange),
  });
  const frames = new FrameBuffer(exchange);
  const firstDelay = firstTokenDelay(scenario);
  // Headers go out at once so a client can tell time to headers from time to first token.
  if (firstDelay > 0) response.flushHeaders();
  if (!(await frames.pause(firstDelay))) return;
  for (const frame of script.head) frames.add(frame);
  const delay = chunkDelay(scenario);
  for (let index = 0; index < script.content.length; index += 1) {
    const kind = interruptionAt(exchange, index);
    if (kind !== undefined) {
      await interrupt(frames, exchange, script, kind);
      return;
    }
    if (index > 0 && !(await frames.pause(delay))) return;
    if (scenario.malformedChunkAt === index + 1) frames.add(script.malformed);
    frames.add(script.content[index] ?? '');
  }
  const kind = clampedInterruption(exchange, script.content.length);
  if (kind !== undefined) {
    await interrupt(frames, exchange, script, kind);
    return;
  }
  if (scenario.malformedChunkAt !== undefined && scenario.malformedChunkAt > script.content.length) {
    frames.add(script.malformed);
  }
  for (const frame of script.tail) frames.add(frame);
  if (scenario.omitDone !== true) frames.add(script.terminator);
  frames.end();
}
