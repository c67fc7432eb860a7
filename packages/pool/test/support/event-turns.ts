// Helpers for streaming tests that wait on the event loop and on the consumer, never on the wall clock.
import { once } from 'node:events';
import { expect } from 'vitest';
import { startServer } from './local-server.ts';

/** Resolves after `count` turns of the event loop: time for I/O to happen if nothing holds it back. */
export function turns(count: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let left = count;
    const step = () => (left-- === 0 ? resolve() : setImmediate(step));
    step();
  });
}

/** A server sending `data: <word>` events, each only after the test released the one before. */
export async function steppedEventServer(words: readonly string[]) {
  const releases: Array<() => void> = [];
  const server = await startServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const word of words) {
      response.write(`data: ${word}\n\n`);
      await new Promise<void>((resolve) => releases.push(resolve));
    }
    response.end();
  });
  return { server, releaseNext: () => releases.shift()?.() };
}

/**
 * A server writing `totalBytes` in chunks of `chunkSize` as fast as the client takes them; chunk n is filled with
 * the letter n mod 26 (from 'a'), so a reader can check order. `writerBlocked` resolves when its buffer is full.
 */
export async function floodingServer(totalBytes: number, chunkSize: number) {
  let written = 0;
  let blocked: () => void = () => {};
  const writerBlocked = new Promise<void>((resolve) => {
    blocked = resolve;
  });
  const server = await startServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    let index = 0;
    while (written < totalBytes) {
      const chunk = Buffer.alloc(chunkSize, 97 + (index++ % 26));
      written += chunk.length;
      if (!response.write(chunk)) {
        blocked();
        await once(response, 'drain');
      }
    }
    response.end();
  });
  return { server, writerBlocked, written: () => written };
}

/**
 * Asserts that a flooding server stays blocked while the body is not read: many I/O turns pass (time for the
 * client to keep reading, had it no back-pressure) and the writer has not moved, short of the whole body, with no
 * more than the high-water mark and one chunk buffered.
 */
export async function expectWriterHeld(
  flood: { writerBlocked: Promise<void>; written: () => number },
  body: { readonly bufferedBytes: number },
  limits: { totalBytes: number; highWaterMark: number; chunkSize: number },
): Promise<void> {
  await flood.writerBlocked;
  await turns(200);
  const writtenWhilePaused = flood.written();
  await turns(200);
  expect(flood.written()).toBe(writtenWhilePaused);
  expect(flood.written()).toBeLessThan(limits.totalBytes);
  expect(body.bufferedBytes).toBeLessThanOrEqual(limits.highWaterMark + limits.chunkSize);
}
