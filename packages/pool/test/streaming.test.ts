import { Agent, type Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { expectWriterHeld, floodingServer, steppedEventServer } from './support/event-turns.ts';
import { startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';
import { signal } from './support/signal.ts';

const chunkSize = 64 * 1024;
const totalBytes = 16 * 1024 * 1024;

describe('streaming back-pressure', () => {
  it('a consumer that stops reading stops the upstream writer and keeps the buffer bounded', async () => {
    const { server, writerBlocked, written } = await floodingServer(totalBytes, chunkSize);
    const highWaterMark = 128 * 1024;
    const pool = openPool({ highWaterMark });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await expectWriterHeld({ writerBlocked, written }, response.body, {
      totalBytes,
      highWaterMark,
      chunkSize,
    });

    let received = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      received += next.value.length;
    }
    expect(received + chunkSize).toBeGreaterThanOrEqual(totalBytes);
    expect(written()).toBe(totalBytes);
  });

  it('hands each server-sent event to the consumer before the upstream sends the next', async () => {
    const { server, releaseNext } = await steppedEventServer(['a', 'b', 'c']);
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const events: string[] = [];
    for await (const chunk of response.body) {
      events.push(Buffer.from(chunk).toString());
      releaseNext();
    }
    expect(events).toEqual(['data: a\n\n', 'data: b\n\n', 'data: c\n\n']);
  });

  it('an open stream does not keep the raw header buffers, which pin the socket read that carried them', async () => {
    const { fire: release, fired: released } = signal();
    const server = await startServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-extra': 'header' });
      response.write('data: a\n\n');
      await released;
      response.end();
    });
    // A dispatcher that sees the controller undici hands the pool's handler.
    const controllers: Dispatcher.DispatchController[] = [];
    const dispatcher = new Agent().compose(
      (dispatch) => (options, handler) =>
        dispatch(options, {
          ...handler,
          onRequestStart: (controller, context) => {
            controllers.push(controller);
            handler.onRequestStart?.(controller, context);
          },
          onResponseStart: (controller, status, headers, message) =>
            handler.onResponseStart?.(controller, status, headers, message),
          onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
          onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
          onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
        }),
    );
    const pool = openPool({ dispatcher });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    expect(response.headers['x-extra']).toBe('header');
    const iterator = response.body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('data: a\n\n');
    expect(controllers).toHaveLength(1);
    expect((controllers[0] as { rawHeaders?: unknown }).rawHeaders).toBeNull();
    release();
    expect((await iterator.next()).done).toBe(true);
  });
});
