// Helpers for streaming tests that wait on the event loop and on the consumer, never on the wall clock.
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
