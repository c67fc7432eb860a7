import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { followAbort } from '../src/index.ts';

describe('followAbort', () => {
  it("aborts the target with the source's reason when the source aborts", () => {
    const source = new AbortController();
    const target = new AbortController();
    followAbort(source.signal, target);
    expect(target.signal.aborted).toBe(false);
    source.abort(new Error('caller left'));
    expect((target.signal.reason as Error).message).toBe('caller left');
  });

  it('aborts the target at once when the source has aborted already, and leaves no listener', () => {
    const source = new AbortController();
    source.abort(new Error('gone'));
    const target = new AbortController();
    followAbort(source.signal, target);
    expect((target.signal.reason as Error).message).toBe('gone');
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0);
  });

  it('stops forwarding once unlinked, with no listener left on the source', () => {
    const source = new AbortController();
    const target = new AbortController();
    const unlink = followAbort(source.signal, target);
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(1);
    unlink();
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0);
    source.abort();
    expect(target.signal.aborted).toBe(false);
  });
});
