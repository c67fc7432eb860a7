// One request in flight: the undici dispatch handler that enforces deadlines, cancellation and error typing.
import type { Dispatcher } from 'undici';
import { callHook } from './call-hook.ts';
import { classifyError } from './classify-error.ts';
import type { OriginState } from './origin-state.ts';
import { PoolError, type TimeoutKind, timeoutError } from './pool-error.ts';
import { type BodySource, ResponseBody } from './response-body.ts';
import type { Timeouts } from './timeouts.ts';
import type { UpstreamResponse } from './types.ts';

type Resolve = (response: UpstreamResponse) => void;
type Reject = (error: PoolError) => void;

class PoolResponse implements UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: ResponseBody;

  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: ResponseBody) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  text(): Promise<string> {
    return this.body.text();
  }

  json(): Promise<unknown> {
    return this.body.json();
  }

  cancel(): void {
    this.body.cancel();
  }
}

// Module-level so arming a timer allocates no closure per request.
function onDeadline(call: UpstreamCall): void {
  call.deadlinePassed();
}

function onIdle(call: UpstreamCall): void {
  call.idlePassed();
}

/**
 * undici's controller keeps the raw header buffers for the whole response. They are views into the socket read
 * that carried the headers, so an open stream would pin that whole read (about 8 KB) until it ends; the parsed
 * headers are all a call needs.
 */
function releaseRawHeaders(controller: Dispatcher.DispatchController): void {
  const raw = controller as { rawHeaders?: unknown };
  if (raw.rawHeaders !== undefined) raw.rawHeaders = null;
}

function isArmed(ms: number): boolean {
  return ms > 0 && ms < 2_147_483_647;
}

export class UpstreamCall implements Dispatcher.DispatchHandler, BodySource {
  readonly origin: string;
  readonly #state: OriginState;
  readonly #timeouts: Readonly<Timeouts>;
  readonly #resolve: Resolve;
  readonly #reject: Reject;
  readonly #signal: AbortSignal | undefined;
  readonly #startedAt: number;
  readonly #deadlineKind: TimeoutKind;
  #timer: NodeJS.Timeout | undefined;
  /** Armed while the body is flowing; stopped while the consumer has paused it, since then the upstream waits on us. */
  #idleTimer: NodeJS.Timeout | undefined;
  #controller: Dispatcher.DispatchController | null = null;
  #abortReason: PoolError | undefined;
  #body: ResponseBody | undefined;
  #status: number | undefined;
  #bytes = 0;
  #settled = false;
  #finished = false;

  constructor(
    state: OriginState,
    timeouts: Readonly<Timeouts>,
    stream: boolean,
    signal: AbortSignal | undefined,
    resolve: Resolve,
    reject: Reject,
  ) {
    this.origin = state.origin;
    this.#state = state;
    this.#timeouts = timeouts;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = signal;
    this.#startedAt = state.timed ? performance.now() : 0;
    // Streams are bounded by time-to-headers (queueing included) and then by the idle timer; other calls by one
    // total deadline that also covers reading the body, and by the idle timer too.
    this.#deadlineKind = stream ? 'headers' : 'total';
    const ms = stream ? timeouts.headersMs : timeouts.totalMs;
    if (isArmed(ms)) this.#timer = setTimeout(onDeadline, ms, this);
    if (signal !== undefined) signal.addEventListener('abort', this, { once: true });
  }

  /** The caller's AbortSignal fired. */
  handleEvent(): void {
    this.abort(
      new PoolError({
        code: 'GW_ERR_POOL_ABORTED',
        message: `request to ${this.origin} was aborted by the caller`,
        origin: this.origin,
        cause: this.#signal?.reason,
      }),
    );
  }

  deadlinePassed(): void {
    this.#timer = undefined;
    const kind = this.#deadlineKind;
    this.abort(
      timeoutError(kind, this.origin, kind === 'headers' ? this.#timeouts.headersMs : this.#timeouts.totalMs),
    );
  }

  idlePassed(): void {
    this.#idleTimer = undefined;
    this.abort(timeoutError('idle', this.origin, this.#timeouts.idleMs));
  }

  #armIdle(): void {
    const ms = this.#timeouts.idleMs;
    if (isArmed(ms)) this.#idleTimer = setTimeout(onIdle, ms, this);
  }

  #stopIdle(): void {
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }

  /** Ends the call with `reason` now, whatever undici is doing, and releases its connection. */
  abort(reason: PoolError): void {
    if (this.#finished || this.#abortReason !== undefined) return;
    this.#abortReason = reason;
    if (this.#body === undefined) this.#settleError(reason);
    else this.#body.fail(reason);
    if (this.#controller === null) {
      // Still queued, so nothing was sent: free its place under the queue cap now. undici hands us the
      // controller when it dequeues the request, and onRequestStart aborts it before anything is written.
      this.#finish(reason);
      return;
    }
    this.#controller.abort(reason);
  }

  // BodySource, used by ResponseBody for back-pressure.
  pause(): void {
    this.#stopIdle();
    this.#controller?.pause();
  }

  resume(): void {
    if (this.#finished) return;
    if (this.#idleTimer === undefined) this.#armIdle();
    this.#controller?.resume();
  }

  cancel(reason: PoolError): void {
    this.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    releaseRawHeaders(controller);
    if (statusCode < 200 || this.#abortReason !== undefined) return;
    this.#status = statusCode;
    if (this.#deadlineKind === 'headers' && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#armIdle();
    const body = new ResponseBody(this, this.#state.highWaterMark);
    this.#body = body;
    this.#settled = true;
    const onHeaders = this.#state.hooks?.onHeaders;
    if (onHeaders !== undefined) {
      callHook(onHeaders, {
        origin: this.origin,
        status: statusCode,
        headersMs: performance.now() - this.#startedAt,
      });
    }
    this.#resolve(new PoolResponse(statusCode, headers, body));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#bytes += chunk.length;
    this.#idleTimer?.refresh();
    this.#body?.push(chunk);
  }

  onResponseEnd(): void {
    this.#finish(undefined);
    this.#body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const reason =
      this.#abortReason ??
      classifyError(
        error,
        this.origin,
        this.#body === undefined ? 'before-headers' : 'after-headers',
        this.#timeouts,
      );
    if (this.#body === undefined) this.#settleError(reason);
    else this.#body.fail(reason);
    this.#finish(reason);
  }

  #settleError(error: PoolError): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }

  #finish(error: PoolError | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#stopIdle();
    this.#signal?.removeEventListener('abort', this);
    this.#state.finished(error);
    const onComplete = this.#state.hooks?.onComplete;
    if (onComplete !== undefined) {
      callHook(onComplete, {
        origin: this.origin,
        status: this.#status,
        bytes: this.#bytes,
        durationMs: performance.now() - this.#startedAt,
        error,
      });
    }
  }
}
