// Writes a gateway response to the client: JSON at once, or a stream with back-pressure.
import type { ServerResponse } from 'node:http';
import { type GatewayResponse, type GatewayStreamResponse, rawJsonOf, type StreamSink } from '@gw/core';

export function writeJson(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  // An upstream answer gw passed on unchanged goes out as the upstream's own bytes, not a re-serialisation.
  const payload = typeof body === 'string' ? body : (rawJsonOf(body) ?? JSON.stringify(body));
  // The headers object is built per response by its caller, so completing it in place spares a copy.
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(status, headers);
  response.end(payload);
}

/** The client connection as a relay writes to it: `write` is false while its buffer is full. */
function sinkOf(response: ServerResponse): StreamSink {
  return {
    write: (text) => response.write(text),
    drained: () =>
      new Promise<void>((resolve) => {
        if (response.destroyed) return resolve();
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      }),
    get closed() {
      return response.destroyed;
    },
  };
}

function flushHeadersOf(response: ServerResponse): void {
  if (!response.headersSent && !response.destroyed) response.flushHeaders();
}

/** Streams chunks, waiting for 'drain' when the client reads slowly, so memory stays flat. */
async function writeStream(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  stream: GatewayStreamResponse['stream'],
) {
  response.writeHead(status, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    ...headers,
  });
  // The headers go out with the first piece, which the relay writes in this same tick when the first chunk is
  // already in hand (it was read inside the routed attempt): one write to the client instead of two. A stream
  // whose first piece is not ready by then gets its headers on their own, so the caller sees the answer start.
  process.nextTick(flushHeadersOf, response);
  const sink = sinkOf(response);
  if (stream.pipeTo !== undefined) await stream.pipeTo(sink);
  else {
    // A stream of a hook's own making: the same sink, fed by iterating.
    for await (const chunk of stream) {
      if (sink.closed) break;
      if (!sink.write(chunk)) await sink.drained();
    }
  }
  if (!response.destroyed) response.end();
}

export async function writeGatewayResponse(
  response: ServerResponse,
  result: GatewayResponse,
  extraHeaders: Record<string, string>,
) {
  const headers = { ...result.headers, ...extraHeaders };
  if ('stream' in result) {
    await writeStream(response, result.status, headers, result.stream);
    return;
  }
  writeJson(response, result.status, headers, result.body);
}
