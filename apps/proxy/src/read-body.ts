// Reads a request body up to a byte limit, so an oversized upload is refused without being buffered.
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'too_large'; limit: number }
  | { ok: false; reason: 'aborted' };

export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.resolve({ ok: false, reason: 'too_large', limit: limitBytes });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('error', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        request.pause();
        finish({ ok: false, reason: 'too_large', limit: limitBytes });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: textOf(chunks, received) });
    const onAborted = () => finish({ ok: false, reason: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    request.on('error', onAborted);
  });
}

/** Most bodies arrive in one chunk: decoded where it lies, with no copy into a new buffer first. */
function textOf(chunks: readonly Buffer[], length: number): string {
  if (chunks.length === 1) return chunks[0]!.toString('utf8');
  return Buffer.concat(chunks, length).toString('utf8');
}
