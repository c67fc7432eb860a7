import { getEventListeners } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../src/pipeline/pipeline-context.ts';
import { newContext } from '../../src/pipeline/pipeline-scratch.ts';
import { endStreamSignal, streamSignal } from '../../src/pipeline/stream-signal.ts';

function contextOf(signal: AbortSignal): PipelineContext {
  return newContext(
    { operation: 'chat', headers: {}, body: undefined, signal },
    'req-1',
    pino({ level: 'silent' }),
  );
}

describe('streamSignal', () => {
  it("is the attempt's own signal when that is the caller's", () => {
    const caller = new AbortController().signal;
    expect(streamSignal(contextOf(caller), caller)).toBe(caller);
  });

  it('aborts with the caller, with its reason', () => {
    const caller = new AbortController();
    const ctx = contextOf(caller.signal);
    const linked = streamSignal(ctx, new AbortController().signal);
    caller.abort(new Error('client left'));
    expect(linked.aborted).toBe(true);
    expect((linked.reason as Error).message).toBe('client left');
  });

  it('aborts with the attempt (a TTFT timeout), with its reason', () => {
    const attempt = new AbortController();
    const linked = streamSignal(contextOf(new AbortController().signal), attempt.signal);
    attempt.abort(new Error('no first token'));
    expect((linked.reason as Error).message).toBe('no first token');
  });

  it('leaves no listener on the caller once ended, or once a new link replaces it', () => {
    const caller = new AbortController();
    const ctx = contextOf(caller.signal);
    const first = streamSignal(ctx, new AbortController().signal);
    const second = streamSignal(ctx, new AbortController().signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    endStreamSignal(ctx);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    caller.abort();
    expect(first.aborted).toBe(false);
    expect(second.aborted).toBe(false);
  });
});
