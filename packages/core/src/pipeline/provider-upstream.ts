// The UpstreamCaller on gw's providers: build the request, send it (pool or in-process), parse, decode, map errors.
import { performance } from 'node:perf_hooks';
import { GwError } from '@gw/errors';
import type { Timeouts, UpstreamPool, UpstreamRequest } from '@gw/pool';
import type { ErrorClass } from '@gw/router';
import type { Logger } from 'pino';
import { copyWith } from '../collections/copy-with.ts';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import { upstreamModelName } from '../config/wildcard-model.ts';
import type { TokenUsage } from '../cost/cost-of.ts';
import { ProviderError } from '../errors/provider-error.ts';
import { decodeStream } from '../stream/decode-stream.ts';
import { createUtf8Decoder } from '../stream/utf8-decoder.ts';
import { rememberRawJson } from '../translate/raw-json.ts';
import type {
  Provider,
  CanonicalRequest as ProviderRequest,
  ProviderTarget,
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamOperation,
} from '../types/provider.ts';
import type { CanonicalRequest, OpenedStream, SentResponse, UpstreamCaller } from './seams.ts';
import { usageOf } from './stream-relay.ts';

export interface ProviderUpstreamOptions {
  resolveProvider(name: string): Provider | undefined;
  pool: UpstreamPool;
  dropParams: boolean;
  logger: Logger;
}

/** What a deployment resolves to, once: its provider, target and pool timeouts. */
interface Resolved {
  provider: Provider;
  target: ProviderTarget;
  timeouts: Partial<Timeouts> | undefined;
  streamTimeouts: Partial<Timeouts> | undefined;
  /** A wildcard deployment (`model: openai/*`): each request names the model it is sent. */
  wildcard: boolean;
}

export function createProviderUpstream(options: ProviderUpstreamOptions): UpstreamCaller {
  const targets = new Map<string, Resolved>();

  /** A wildcard deployment's target names the model the request asked for; any other's is used as it is. */
  function targetFor(
    resolved: Resolved,
    deployment: DeploymentConfig,
    body: CanonicalRequest,
  ): ProviderTarget {
    if (!resolved.wildcard) return resolved.target;
    const model = upstreamModelName(deployment.model, deployment.modelName, body.model);
    return { ...resolved.target, model };
  }

  function resolve(deployment: DeploymentConfig) {
    let resolved = targets.get(deployment.id);
    if (resolved === undefined) {
      // LiteLLM's mock_response answers without calling the upstream, whatever the provider.
      const provider = options.resolveProvider(
        deployment.mockResponse === undefined ? deployment.provider : 'mock',
      );
      if (provider === undefined) {
        throw new GwError({
          code: 'GW_ERR_PROVIDER_UNKNOWN',
          message: `No provider named '${deployment.provider}' is registered (deployment ${deployment.id}).`,
          status: 500,
        });
      }
      resolved = {
        provider,
        target: targetOf(deployment, options.dropParams),
        timeouts: timeoutsOf(deployment, false),
        streamTimeouts: timeoutsOf(deployment, true),
        wildcard: deployment.model.includes('*'),
      };
      targets.set(deployment.id, resolved);
    }
    return resolved;
  }

  async function exchange(
    resolved: Resolved,
    request: UpstreamHttpRequest,
    signal: AbortSignal,
    stream: boolean,
  ): Promise<UpstreamHttpResponse> {
    const { provider, target } = resolved;
    try {
      if (provider.fetch !== undefined) return await provider.fetch(request, target, signal);
      const poolRequest: UpstreamRequest = {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        signal,
        stream,
      };
      if (request.body !== undefined) poolRequest.body = request.body;
      // No override means the pool uses its per-origin timeouts as they are, without merging per request.
      const timeouts = stream ? resolved.streamTimeouts : resolved.timeouts;
      if (timeouts !== undefined) poolRequest.timeouts = timeouts;
      return await options.pool.request(poolRequest);
    } catch (error) {
      throw asProviderError(error, provider.name, signal);
    }
  }

  async function failure(
    provider: Provider,
    target: ProviderTarget,
    response: UpstreamHttpResponse,
  ): Promise<never> {
    throw provider.mapError(response.status, response.headers, await readText(response.body), target);
  }

  return {
    async send(deployment, operation, body, signal, requestId): Promise<SentResponse> {
      const resolved = resolve(deployment);
      const provider = resolved.provider;
      const target = targetFor(resolved, deployment, body);
      const upstreamOperation = operation === 'messages' ? 'chat' : (operation as UpstreamOperation);
      const request = provider.buildRequest(upstreamOperation, body as unknown as ProviderRequest, target);
      tagRequest(request, requestId);
      const waitStart = performance.now();
      const response = await exchange(resolved, request, signal, false);
      if (response.status >= 400) return failure(provider, target, response);
      let parsedBody: unknown;
      let upstreamMs: number;
      let text: string;
      try {
        text = await readText(response.body);
        upstreamMs = performance.now() - waitStart;
        parsedBody = JSON.parse(text);
      } catch (error) {
        throw asProviderError(error, provider.name, signal);
      }
      const parsed = provider.parseResponse(upstreamOperation, response.status, parsedBody, target);
      // Passed on as it came (OpenAI wire format): the caller can get the upstream's bytes, not a re-serialisation.
      if (parsed === parsedBody) rememberRawJson(parsed, text);
      const sent: SentResponse = { response: parsed, upstreamMs };
      const usage: TokenUsage | undefined = usageOf(parsed);
      if (usage !== undefined) sent.usage = usage;
      return sent;
    },

    async stream(
      deployment,
      body: CanonicalRequest,
      signal,
      operation = 'chat',
      requestId,
    ): Promise<OpenedStream> {
      const resolved = resolve(deployment);
      const provider = resolved.provider;
      const target = targetFor(resolved, deployment, body);
      const streamBody = copyWith(body, {
        stream: true,
        stream_options: { include_usage: true },
      }) as unknown as ProviderRequest;
      const request = provider.buildRequest(
        operation === 'completions' ? 'completions' : 'chat',
        streamBody,
        target,
      );
      tagRequest(request, requestId);
      const waitStart = performance.now();
      const response = await exchange(resolved, request, signal, true);
      const upstreamMs = performance.now() - waitStart;
      if (response.status >= 400) return failure(provider, target, response);
      const decoder = provider.createStreamDecoder(target, {
        onMalformed: () =>
          options.logger.warn({ deployment: deployment.id }, 'malformed stream chunk skipped'),
      });
      const chunks = decodeStream(response.body, decoder, (error) =>
        asProviderError(error, provider.name, signal),
      );
      return { chunks, upstreamMs };
    },

    supportsPrefill(deployment) {
      return options.resolveProvider(deployment.provider)?.supportsPrefill ?? false;
    },
  };
}

/** The caller's request id travels upstream, as LiteLLM forwards it, unless the deployment sets its own. */
function tagRequest(request: UpstreamHttpRequest, requestId: string | undefined): void {
  if (requestId === undefined || request.headers['x-request-id'] !== undefined) return;
  // A copy: a plugged-in provider may hand out one headers object for every request.
  request.headers = copyWith(request.headers, { 'x-request-id': requestId });
}

/** LiteLLM's `timeout` bounds a whole call; `stream_timeout` bounds the wait for headers and between chunks. */
function timeoutsOf(deployment: DeploymentConfig, stream: boolean): Partial<Timeouts> | undefined {
  const timeouts: Partial<Timeouts> = {};
  if (stream) {
    const wait = deployment.streamTimeoutMs ?? deployment.timeoutMs;
    if (wait !== undefined) {
      timeouts.headersMs = wait;
      timeouts.idleMs = wait;
    }
  } else if (deployment.timeoutMs !== undefined) {
    timeouts.totalMs = deployment.timeoutMs;
  }
  return Object.keys(timeouts).length === 0 ? undefined : timeouts;
}

function targetOf(deployment: DeploymentConfig, dropParams: boolean): ProviderTarget {
  const target: ProviderTarget = {
    provider: deployment.provider,
    model: deployment.model,
    apiBase: deployment.apiBase ?? '',
    dropParams,
  };
  if (deployment.apiKey !== undefined) target.apiKey = deployment.apiKey.reveal();
  if (deployment.apiVersion !== undefined) target.apiVersion = deployment.apiVersion;
  if (Object.keys(deployment.extraHeaders).length > 0) target.headers = deployment.extraHeaders;
  if (deployment.mockResponse !== undefined) target.mockResponse = deployment.mockResponse;
  // Anthropic requires max_tokens; a deployment's declared output window is the best default for it.
  if (deployment.info.maxOutputTokens !== undefined) {
    target.extra = { defaultMaxTokens: deployment.info.maxOutputTokens };
  }
  return target;
}

function readText(body: AsyncIterable<Uint8Array> & { text?: () => Promise<string> }): Promise<string> {
  // The pool's body collects its chunks into one buffer and decodes once: cheaper than iterating.
  if (typeof body.text === 'function') return body.text();
  return readChunks(body);
}

async function readChunks(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = createUtf8Decoder();
  let text = '';
  for await (const bytes of body) text += decoder.write(bytes);
  return text + decoder.end();
}

/** Transport failures (pool errors, aborts) as ProviderErrors the router can class. */
function asProviderError(error: unknown, provider: string, signal: AbortSignal): unknown {
  if (ProviderError.isProviderError(error)) return error;
  if (signal.aborted) {
    // The router's own abort reasons (TTFT timeout, deadline) carry their class; keep them.
    const reason: unknown = signal.reason;
    if (GwError.isInstance(reason)) return reason;
    return new ProviderError({
      errorClass: 'aborted',
      message: 'The request was cancelled.',
      provider,
      cause: error,
    });
  }
  const code = GwError.isInstance(error) ? error.code : '';
  let errorClass: ErrorClass = 'connection';
  if (code.endsWith('_TIMEOUT')) errorClass = 'timeout';
  else if (code === 'GW_ERR_POOL_ABORTED') errorClass = 'aborted';
  else if (code === 'GW_ERR_POOL_UPSTREAM') errorClass = 'upstream_5xx';
  else if (error instanceof SyntaxError) errorClass = 'upstream_5xx';
  const message =
    error instanceof SyntaxError
      ? `Provider ${provider} answered with a body that is not valid JSON.`
      : `Provider ${provider} could not be reached or broke off: ${GwError.isInstance(error) ? error.message : 'connection failed'}.`;
  return new ProviderError({ errorClass, message, provider, cause: error });
}
