import { describe, expect, it } from 'vitest';
import { pushChunks } from '../../src/pipeline/push-chunks.ts';
import type { ChunkHandlers, PushableChunks } from '../../src/stream/decode-stream.ts';

/** A pushable stream the test drives by hand, recording pauses and resumes. */
function handDriven() {
  let handlers: ChunkHandlers<string> | undefined;
  const calls: string[] = [];
  const stream = {
    pushTo(next: ChunkHandlers<string>) {
      handlers = next;
    },
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  } as unknown as PushableChunks<string>;
  return { stream, calls, handlers: () => handlers! };
}

describe('pushChunks', () => {
  it('relays each chunk as it arrives and settles on the end', async () => {
    const { stream, handlers } = handDriven();
    const relayed: unknown[] = [];
    let waited = 0;
    const outcome = pushChunks(
      stream,
      (chunk) => relayed.push(chunk) > 0,
      (ms) => {
        waited += ms;
      },
    );
    handlers().chunk('a');
    handlers().chunk('b');
    handlers().end();
    expect(await outcome).toBe('ended');
    expect(relayed).toEqual(['a', 'b']);
    expect(waited).toBeGreaterThanOrEqual(0);
  });

  it('pauses the stream while the caller drains, and resumes it after', async () => {
    const { stream, calls, handlers } = handDriven();
    let drain: (wanted: boolean) => void = () => {};
    const outcome = pushChunks(
      stream,
      (chunk) => (chunk === 'full' ? new Promise<boolean>((resolve) => (drain = resolve)) : true),
      () => {},
    );
    handlers().chunk('full');
    expect(calls).toEqual(['pause']);
    drain(true);
    await Promise.resolve();
    expect(calls).toEqual(['pause', 'resume']);
    handlers().end();
    expect(await outcome).toBe('ended');
  });

  it('stops when the caller left, and gives the upstream error as it came', async () => {
    const left = handDriven();
    const leaving = pushChunks(
      left.stream,
      () => false,
      () => {},
    );
    left.handlers().chunk('a');
    expect(await leaving).toBe('left');
    expect(left.calls).toContain('pause');
    const broken = handDriven();
    const breaking = pushChunks(
      broken.stream,
      () => true,
      () => {},
    );
    const error = new Error('reset');
    broken.handlers().error(error);
    expect(await breaking).toEqual({ error });
  });

  it('rejects, instead of throwing into the socket callback, when relaying a chunk throws', async () => {
    const { stream, handlers } = handDriven();
    const outcome = pushChunks(
      stream,
      () => {
        throw new Error('sink broke');
      },
      () => {},
    );
    expect(() => handlers().chunk('a')).not.toThrow();
    await expect(outcome).rejects.toThrow('sink broke');
  });
});
