// Relays an upstream stream to the caller chunk by chunk: usage tracking, finalisation, error event or resume.
import { performance } from 'node:perf_hooks';
import { GwError } from '@gw/errors';
import { neverAborts } from '@gw/router';
import type { TokenUsage } from '../cost/cost-of.ts';
import { isPushable } from '../stream/decode-stream.ts';
import { type Emit, pullFromPush } from '../stream/pull-from-push.ts';
import { countedUsage } from './counted-usage.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { pushChunks } from './push-chunks.ts';
import type { StreamEncoder } from './seams.ts';

export interface StreamStart {
  /** Chunks with nothing of the answer yet (a role-only delta, Anthropic's message_start), sent before `first`. */
  preamble?: unknown[];
  /** The first chunk, already read inside the routed attempt (so a failure before it was retried). */
  first: unknown;
  rest: AsyncIterator<unknown>;
  ended: boolean;
  ctx: PipelineContext;
}

export interface StreamEndResult {
  usage?: TokenUsage;
  usageCounted: boolean;
  /** The upstream failure that ended the stream after bytes reached the caller. */
  error?: unknown;
  /** The caller stopped reading (disconnected). */
  cancelled: boolean;
  upstreamWaitMs: number;
  /** Time spent waiting for the caller to read (a slow client), excluded from the gateway's overhead. */
  consumerWaitMs: number;
  /** performance.now() when the first content reached the relay; TTFT counts from the request's start. */
  firstTokenAt?: number;
}

/** Bounds what is held back from an upstream that sends nothing but empty deltas. */
const MAX_PREAMBLE = 16;

/**
 * Reads inside the routed attempt up to the first chunk that carries some of the answer, so a stream failing
 * before it is retried like any call. Upstreams send a role-only chunk (Anthropic its message_start) before they
 * generate anything: taken as the start, an `overloaded_error` or a cut right after it reached the caller as a
 * broken stream instead of going to the next deployment, and the TTFT timeout stopped at it.
 */
export async function firstChunk(chunks: AsyncIterator<unknown>, ctx: PipelineContext): Promise<StreamStart> {
  let preamble: unknown[] | undefined;
  for (;;) {
    const next = await chunks.next();
    if (!next.done && (preamble?.length ?? 0) < MAX_PREAMBLE && isPreamble(next.value)) {
      preamble ??= [];
      preamble.push(next.value);
      continue;
    }
    const start: StreamStart = {
      first: next.done ? undefined : next.value,
      rest: chunks,
      ended: next.done === true,
      ctx,
    };
    if (preamble !== undefined) start.preamble = preamble;
    return start;
  }
}

/** A chunk with one choice whose delta has only a role and empty fields: no text, tool call, finish or usage. */
function isPreamble(chunk: unknown): boolean {
  const { choices, usage } = chunk as { choices?: unknown; usage?: unknown };
  if ((usage !== undefined && usage !== null) || !Array.isArray(choices) || choices.length !== 1)
    return false;
  const choice = choices[0] as { delta?: Record<string, unknown>; finish_reason?: unknown } | undefined;
  const delta = choice?.delta;
  if (delta === undefined || (choice!.finish_reason !== undefined && choice!.finish_reason !== null))
    return false;
  for (const key in delta) {
    const value = delta[key];
    if (key !== 'role' && value !== '' && value !== null && value !== undefined) return false;
  }
  return true;
}

/** Continues a broken stream elsewhere; yields canonical chunks that follow `sentText`, or throws. */
export type StreamResumer = (sentText: string, error: unknown) => Promise<AsyncIterator<unknown> | undefined>;

export interface RelayOptions {
  ctx: PipelineContext;
  start: StreamStart;
  encoder: StreamEncoder;
  countText(text: string, model: string): number;
  resume?: StreamResumer;
  onEnd(result: StreamEndResult): Promise<void>;
}

/** Where a relayed stream can be written directly, with no async iteration per piece. */
export interface StreamSink {
  /** Takes one piece of SSE text; false asks the relay to wait for `drained()` before the next. */
  write(text: string): boolean;
  /** Resolves when the sink can take more, or has closed. */
  drained(): Promise<void>;
  /** True once the caller went away: the relay stops and the stream ends as cancelled. */
  readonly closed: boolean;
}

/** A relayed stream: iterate it, or pipe it to a sink (one or the other, once). */
export interface RelayedStream extends AsyncIterable<string> {
  /**
   * Writes the stream to `sink` and resolves when it ended (or the sink closed). Iterating adds an async
   * hand-over per piece (a generator request and promises that wait through the upstream's pause between
   * chunks); writing directly skips it: in the proxy's probes, about a tenth less memory promoted to the old
   * generation and CPU per streamed request.
   */
  pipeTo(sink: StreamSink): Promise<void>;
}

export function relayStream(options: RelayOptions): RelayedStream {
  const signal = options.ctx.signal;
  return {
    pipeTo: (sink) => runRelay(options, emitTo(sink)),
    // The caller's abort ends an iterated relay even when the caller never asks for another piece: the relay
    // would otherwise wait on it, holding the reservation, the concurrency lease and the in-flight gauge.
    [Symbol.asyncIterator]: () =>
      pullFromPush<string>((emit) => runRelay(options, emit), signal === neverAborts ? undefined : signal),
  };
}

function emitTo(sink: StreamSink): Emit<string> {
  const afterDrain = () => !sink.closed;
  return (text) => {
    if (sink.closed) return false;
    if (sink.write(text)) return true;
    return sink.drained().then(afterDrain);
  };
}

/** Emits each piece; false (or a promise of false) means the consumer left and the relay stops. */
async function runRelay(options: RelayOptions, emit: Emit<string>): Promise<void> {
  const { ctx, start, encoder } = options;
  let upstreamWaitMs = 0;
  // Time the caller took to take each piece (back-pressure): neither the upstream's nor the gateway's.
  let consumerWaitMs = 0;
  let sentText = '';
  let usage: TokenUsage | undefined;
  let failure: unknown;
  let completed = false;
  let countedByGateway = false;
  let firstTokenAt: number | undefined;
  let iterator = start.rest;
  let lastChunk: unknown;
  const observe = (chunk: unknown) => {
    lastChunk = chunk;
    const text = textOf(chunk);
    if (text !== '') {
      firstTokenAt ??= performance.now();
      sentText += text;
    }
    const reported = usageOf(chunk);
    if (reported !== undefined) usage = reported;
  };
  try {
    // A piece the sink took at once costs no promise and no clock read; only a wait (back-pressure) is timed,
    // since time spent on a busy consumer is neither the upstream's nor the gateway's.
    const handOver = (text: string): boolean | Promise<boolean> => {
      if (text === '') return true;
      const wanted = emit(text);
      if (typeof wanted === 'boolean') return wanted;
      const handedOver = performance.now();
      return wanted.then((result) => {
        consumerWaitMs += performance.now() - handedOver;
        return result;
      });
    };
    const relayChunk = (chunk: unknown): boolean | Promise<boolean> => {
      observe(chunk);
      return handOver(encodeChunk(encoder, chunk));
    };
    if (start.preamble !== undefined) {
      for (const chunk of start.preamble) {
        const wanted = relayChunk(chunk);
        if (wanted !== true && !(await wanted)) return;
      }
    }
    if (start.first !== undefined) {
      const wanted = relayChunk(start.first);
      if (wanted !== true && !(await wanted)) return;
    }
    const addUpstreamWait = (ms: number) => {
      upstreamWaitMs += ms;
    };
    if (!start.ended) {
      for (;;) {
        let broken: unknown;
        if (isPushable(iterator)) {
          // The upstream's chunks arrive in its socket's data callback and go straight to the caller.
          const pushed = await pushChunks(iterator, relayChunk, addUpstreamWait);
          if (pushed === 'left') return;
          if (pushed === 'ended') break;
          broken = pushed.error;
        } else {
          const waitStart = performance.now();
          let next: IteratorResult<unknown> | undefined;
          try {
            next = await iterator.next();
          } catch (error) {
            broken = error;
          }
          upstreamWaitMs += performance.now() - waitStart;
          if (next !== undefined) {
            if (next.done) break;
            const wanted = relayChunk(next.value);
            if (wanted !== true && !(await wanted)) return;
            continue;
          }
        }
        const resumed =
          ctx.signal.aborted || options.resume === undefined
            ? undefined
            : await tryResume(options.resume, sentText, broken);
        if (resumed === undefined) {
          failure = broken;
          break;
        }
        iterator = resumed;
      }
    }
    if (failure === undefined) {
      if (usage === undefined) {
        // The upstream reported no usage: the caller still gets it (when it asked), counted by gw and marked so.
        usage = countedUsage(ctx, sentText, options.countText);
        countedByGateway = true;
        const wanted = handOver(encodeChunk(encoder, countedUsageChunk(lastChunk, usage)));
        if (wanted !== true && !(await wanted)) return;
      }
      completed = true;
      await emit(encoder.end());
    } else {
      completed = true;
      await emit(encoder.error(asStreamError(failure)));
    }
  } finally {
    const cancelled = !completed || ctx.signal.aborted;
    if (cancelled) await iterator.return?.().catch(() => undefined);
    if (usage === undefined) {
      // The stream broke or the caller left before any usage: count what was sent, marked as counted.
      usage = countedUsage(ctx, sentText, options.countText);
      countedByGateway = true;
    }
    const result: StreamEndResult = {
      usage,
      usageCounted: countedByGateway,
      cancelled,
      upstreamWaitMs,
      consumerWaitMs,
    };
    if (failure !== undefined) result.error = failure;
    if (firstTokenAt !== undefined) result.firstTokenAt = firstTokenAt;
    await options.onEnd(result);
  }
}

/**
 * OpenAI's usage-only last chunk, with the counts gw made and `gw_usage_counted: true` (the SDKs keep unknown
 * usage fields), so a caller can tell them from the provider's own.
 */
function countedUsageChunk(last: unknown, usage: TokenUsage): unknown {
  const previous = (last ?? {}) as { id?: unknown; object?: unknown; created?: unknown; model?: unknown };
  return {
    id: previous.id ?? 'chatcmpl-gw',
    object: previous.object ?? 'chat.completion.chunk',
    created: previous.created ?? Math.floor(Date.now() / 1000),
    model: previous.model ?? '',
    choices: [],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
      gw_usage_counted: true,
    },
  };
}

/** A chunk the caller's encoder cannot express is skipped like a malformed one, never a crash mid-stream. */
function encodeChunk(encoder: StreamEncoder, chunk: unknown): string {
  try {
    return encoder.chunk(chunk);
  } catch {
    return '';
  }
}

async function tryResume(
  resume: StreamResumer,
  sentText: string,
  error: unknown,
): Promise<AsyncIterator<unknown> | undefined> {
  try {
    return await resume(sentText, error);
  } catch {
    return undefined;
  }
}

function asStreamError(error: unknown): GwError {
  if (GwError.isInstance(error)) return error;
  return new GwError({
    code: 'GW_ERR_STREAM_INTERRUPTED',
    message:
      'The upstream stream broke before the answer was complete; the answer is truncated. Retry the request.',
    status: 502,
    cause: error,
    isRetryable: true,
  });
}

/** Content text of an OpenAI-shaped chunk (chat delta or legacy completion text). */
export function textOf(chunk: unknown): string {
  const choices = (chunk as { choices?: unknown[] } | null)?.choices;
  return choices === undefined ? '' : choiceText(choices[0]);
}

/** The text of one choice: a stream chunk's delta, an answer's message, or a legacy completion's text. */
export function choiceText(choice: unknown): string {
  const { delta, message, text } = (choice ?? {}) as {
    delta?: { content?: unknown };
    message?: { content?: unknown };
    text?: unknown;
  };
  const content = delta?.content ?? message?.content ?? text;
  return typeof content === 'string' ? content : '';
}

/** OpenAI usage (`prompt_tokens`, `completion_tokens`, cached details) in gw's shape. */
export function usageOf(value: unknown): TokenUsage | undefined {
  const usage = (value as { usage?: Record<string, unknown> | null } | null)?.usage;
  if (usage === undefined || usage === null) return undefined;
  const input = usage.prompt_tokens;
  const output = usage.completion_tokens;
  if (typeof input !== 'number') return undefined;
  const result: TokenUsage = { inputTokens: input, outputTokens: typeof output === 'number' ? output : 0 };
  const details = usage.prompt_tokens_details as { cached_tokens?: unknown } | undefined;
  if (typeof details?.cached_tokens === 'number') result.cachedInputTokens = details.cached_tokens;
  const written = usage.cache_creation_input_tokens;
  if (typeof written === 'number') result.cacheWriteInputTokens = written;
  return result;
}
