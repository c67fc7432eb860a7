import { describe, expect, it } from 'vitest';
import { pullFromPush } from '../../src/stream/pull-from-push.ts';

describe('pullFromPush', () => {
  it('runs the producer only as far as the consumer has asked, like an async generator', async () => {
    const log: string[] = [];
    const iterator = pullFromPush<string>(async (emit) => {
      for (const piece of ['a', 'b', 'c']) {
        log.push(`emit ${piece}`);
        if (!(await emit(piece))) return;
      }
      log.push('done');
    });
    expect(log).toEqual([]);
    expect(await iterator.next()).toEqual({ done: false, value: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['emit a']);
    expect(await iterator.next()).toEqual({ done: false, value: 'b' });
    expect(await iterator.next()).toEqual({ done: false, value: 'c' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(log).toEqual(['emit a', 'emit b', 'emit c', 'done']);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('tells the producer the consumer left, and return() waits for its cleanup', async () => {
    let cleanedUp = false;
    let lastAnswer: boolean | undefined;
    const iterator = pullFromPush<number>(async (emit) => {
      try {
        for (let index = 0; ; index++) {
          lastAnswer = await emit(index);
          if (!lastAnswer) return;
        }
      } finally {
        await new Promise((resolve) => setImmediate(resolve));
        cleanedUp = true;
      }
    });
    expect((await iterator.next()).value).toBe(0);
    expect((await iterator.next()).value).toBe(1);
    await iterator.return?.(undefined);
    expect(lastAnswer).toBe(false);
    expect(cleanedUp).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects the waiting next() with the producer error, then ends', async () => {
    const iterator = pullFromPush<string>(async (emit) => {
      await emit('first');
      throw new Error('upstream broke');
    });
    expect((await iterator.next()).value).toBe('first');
    await expect(iterator.next()).rejects.toThrow('upstream broke');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('never starts a producer whose consumer left before asking', async () => {
    let started = false;
    const iterator = pullFromPush<string>(async () => {
      started = true;
    });
    await iterator.return?.(undefined);
    expect(started).toBe(false);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});
