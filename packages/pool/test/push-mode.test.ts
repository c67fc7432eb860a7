import { describe, expect, it } from 'vitest';
import type { BodyConsumer, PoolError } from '../src/index.ts';
import { expectWriterHeld, floodingServer, steppedEventServer, turns } from './support/event-turns.ts';
import { startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';
import { signal } from './support/signal.ts';

/** A consumer that records what it is given, and resolves `ended` on the end or the error. */
function recorder() {
  const received: string[] = [];
  let error: PoolError | undefined;
  let endings = 0;
  const { fire, fired: ended } = signal();
  const consumer: BodyConsumer = {
    data: (chunk) => received.push(chunk.toString()),
    end: () => {
      endings++;
      fire();
    },
    error: (failure) => {
      endings++;
      error = failure;
      fire();
    },
  };
  return { consumer, received, ended, error: () => error, endings: () => endings };
}

describe('response body push mode', () => {
  it('hands each chunk to the consumer as it arrives, then the end, once', async () => {
    const { server, releaseNext } = await steppedEventServer(['a', 'b', 'c']);
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const { consumer, received, ended, endings } = recorder();
    const data = consumer.data;
    consumer.data = (chunk) => {
      data(chunk);
      releaseNext();
    };
    response.body.pipe(consumer);
    await ended;
    expect(received).toEqual(['data: a\n\n', 'data: b\n\n', 'data: c\n\n']);
    await turns(10);
    expect(endings()).toBe(1);
  });

  it('continues after reads through the iterator, with nothing lost between them', async () => {
    const { fire: second, fired: secondWanted } = signal();
    const server = await startServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('one;');
      await secondWanted;
      response.write('two;');
      response.end('three;');
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value!).toString()).toBe('one;');
    const { consumer, received, ended } = recorder();
    response.body.pipe(consumer);
    second();
    await ended;
    expect(received.join('')).toBe('two;three;');
  });

  it('holds deliveries while paused, stops the upstream writer past the high-water mark, and delivers in order on resume', async () => {
    const chunkSize = 64 * 1024;
    const totalBytes = 8 * 1024 * 1024;
    const { server, writerBlocked, written } = await floodingServer(totalBytes, chunkSize);
    const highWaterMark = 128 * 1024;
    const pool = openPool({ highWaterMark });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    let receivedBytes = 0;
    let outOfOrder = 0;
    let deliveriesWhilePaused = 0;
    let paused = false;
    let pausedOnce = false;
    const { fire, fired: ended } = signal();
    response.body.pipe({
      data(chunk) {
        if (paused) deliveriesWhilePaused++;
        for (let offset = 0; offset < chunk.length; offset++) {
          const letter = 97 + (Math.floor((receivedBytes + offset) / chunkSize) % 26);
          if (chunk[offset] !== letter) outOfOrder++;
        }
        receivedBytes += chunk.length;
        if (!pausedOnce) {
          pausedOnce = true;
          paused = true;
          response.body.pause();
        }
      },
      end: fire,
      error: fire,
    });
    await expectWriterHeld({ writerBlocked, written }, response.body, {
      totalBytes,
      highWaterMark,
      chunkSize,
    });
    expect(deliveriesWhilePaused).toBe(0);
    paused = false;
    // From here on the consumer never pauses again: everything flows to the end.
    response.body.resume();
    await ended;
    expect(outOfOrder).toBe(0);
    expect(receivedBytes).toBe(totalBytes);
  });

  it('delivers nothing when paused before piping, until resumed', async () => {
    const server = await startServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('held;');
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const { consumer, received, ended, endings } = recorder();
    response.body.pause();
    response.body.pipe(consumer);
    await turns(20);
    expect(received).toEqual([]);
    expect(endings()).toBe(0);
    response.body.resume();
    await ended;
    expect(received.join('')).toBe('held;');
  });

  it('ends with the error when the upstream connection breaks mid-body', async () => {
    const server = await startServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      response.write('partial');
      await turns(5);
      response.socket?.destroy();
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const { consumer, received, ended, error, endings } = recorder();
    response.body.pipe(consumer);
    await ended;
    expect(received.join('')).toBe('partial');
    expect(error()?.code).toMatch(/^GW_ERR_POOL_/);
    await turns(10);
    expect(endings()).toBe(1);
  });

  it('refuses a second reader while a read is waiting', async () => {
    const { fire: finish, fired: finished } = signal();
    const server = await startServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('a');
      await finished;
      response.end();
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const waiting = iterator.next();
    expect(() => response.body.pipe(recorder().consumer)).toThrow(/being read already/);
    finish();
    expect((await waiting).done).toBe(true);
  });
});
