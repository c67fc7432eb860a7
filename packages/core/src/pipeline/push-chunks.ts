// Relays a pushable stream's chunks as they arrive, pausing it while the caller is not taking more.
import { performance } from 'node:perf_hooks';
import type { PushableChunks } from '../stream/decode-stream.ts';

/** How a pushed run of chunks stopped: the stream's end, the caller leaving, or the upstream breaking. */
export type PushOutcome = 'ended' | 'left' | { error: unknown };

/**
 * Relays chunks as the upstream pushes them, with no promise per chunk: a piece the caller's connection takes at
 * once is written from the socket's data callback. When the caller is slow, deliveries (and, past the body's
 * buffer, the upstream read) wait for it to drain. Time between chunks counts as the upstream's.
 */
export function pushChunks(
  stream: PushableChunks<unknown>,
  relay: (chunk: unknown) => boolean | Promise<boolean>,
  addUpstreamWait: (ms: number) => void,
): Promise<PushOutcome> {
  return new Promise<PushOutcome>((resolve, reject) => {
    let mark = performance.now();
    let done = false;
    const finish = (outcome: PushOutcome) => {
      if (done) return;
      done = true;
      stream.pause();
      addUpstreamWait(performance.now() - mark);
      resolve(outcome);
    };
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      stream.pause();
      reject(error);
    };
    const drained = (wanted: boolean) => {
      if (done) return;
      mark = performance.now();
      if (wanted) stream.resume();
      else finish('left');
    };
    stream.pushTo({
      chunk(chunk) {
        if (done) return;
        addUpstreamWait(performance.now() - mark);
        // Thrown here it would unwind into the socket's data callback: it ends this relay instead.
        let wanted: boolean | Promise<boolean>;
        try {
          wanted = relay(chunk);
        } catch (error) {
          fail(error);
          return;
        }
        mark = performance.now();
        if (wanted === true) return;
        if (wanted === false) {
          finish('left');
          return;
        }
        stream.pause();
        wanted.then(drained, fail);
      },
      end: () => finish('ended'),
      error: (error) => finish({ error }),
    });
  });
}
