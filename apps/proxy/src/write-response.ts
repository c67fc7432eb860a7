// Writes a gateway response to the client: JSON at once, or a stream with back-pressure.
import type { ServerResponse } from 'node:http';
import { type GatewayResponse, type GatewayStreamResponse, type StreamSink, takeRawJson } from '@gw/core';

export function writeJson(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  // An upstream answer gw passed on unchanged goes out as the upstream's own bytes, not a re-serialisation.
  const payload = typeof body === 'string' ? body : (takeRawJson(body) ?? JSON.stringify(body));
  // The headers object is built per response by its caller, so completing it in place spares a copy.
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(status, headers);
  response.end(payload);
}

/** The client connection as a relay writes to it, plus what the writer needs around the relay. */
interface ClientSink extends StreamSink {
  /** Sends the headers at the end of this tick, with whatever pieces were written by then. */
  start(): void;
  /** Sends what is pending, then ends the response. */
  end(): void;
}

/**
 * Pieces written within one tick (the chunks of one upstream read) leave as one chunk of the response: one
 * `write`, one chunk frame and one syscall per burst instead of per piece. `write` is false while the client's
 * buffer is full, so the relay waits for 'drain'; what is pending then is at most one burst. A class, not an
 * object literal of closures: one lives for every stream in flight.
 */
class BurstSink implements ClientSink {
  readonly #response: ServerResponse;
  #pending = '';
  #scheduled = false;
  // `headersSent` is true from writeHead on, before anything left: whether the headers went out is tracked here.
  #sent = false;
  readonly #flush = () => this.#flushPending();

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  get closed(): boolean {
    return this.#response.destroyed;
  }

  write(text: string): boolean {
    this.#pending += text;
    this.start();
    return !this.#response.writableNeedDrain;
  }

  drained(): Promise<void> {
    const response = this.#response;
    return new Promise<void>((resolve) => {
      if (response.destroyed) return resolve();
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }

  start(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#flush);
  }

  end(): void {
    this.#flushPending();
    if (!this.#response.destroyed) this.#response.end();
  }

  #flushPending(): void {
    this.#scheduled = false;
    const response = this.#response;
    if (response.destroyed) {
      this.#pending = '';
      return;
    }
    if (this.#pending !== '') {
      const text = this.#pending;
      this.#pending = '';
      this.#sent = true;
      response.write(text);
    } else if (!this.#sent) {
      this.#sent = true;
      response.flushHeaders();
    }
  }
}

/** Streams chunks, waiting for 'drain' when the client reads slowly, so memory stays flat. */
async function writeStream(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  stream: GatewayStreamResponse['stream'],
) {
  headers['content-type'] ??= 'text/event-stream; charset=utf-8';
  headers['cache-control'] ??= 'no-cache';
  headers['x-accel-buffering'] ??= 'no';
  response.writeHead(status, headers);
  const sink = new BurstSink(response);
  // The headers leave with the first pieces when the relay writes them in this tick (the first chunk was read
  // inside the routed attempt): one write to the client instead of two. Otherwise they leave on their own, so
  // the caller sees the answer start.
  sink.start();
  if (stream.pipeTo !== undefined) await stream.pipeTo(sink);
  else {
    // A stream of a hook's own making: the same sink, fed by iterating.
    for await (const chunk of stream) {
      if (sink.closed) break;
      if (!sink.write(chunk)) await sink.drained();
    }
  }
  sink.end();
}

/** A promise only for a stream: a JSON answer is written at once, with no promise for the caller to wait on. */
export function writeGatewayResponse(
  response: ServerResponse,
  result: GatewayResponse,
  extraHeaders: Record<string, string>,
): Promise<void> | undefined {
  // The gateway hands over each response's headers as its own object: completed in place, not copied.
  const headers = result.headers;
  for (const name in extraHeaders) headers[name] = extraHeaders[name]!;
  if ('stream' in result) return writeStream(response, result.status, headers, result.stream);
  writeJson(response, result.status, headers, result.body);
  return undefined;
}
