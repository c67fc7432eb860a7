// The Provider contract: how gw talks to one kind of upstream, in canonical (OpenAI) shapes on gw's side.
import type { ProviderError } from '../errors/provider-error.ts';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  CompletionRequest,
  CompletionResponse,
  CompletionUsage,
  EmbeddingRequest,
  EmbeddingResponse,
} from './openai.ts';

export type UpstreamOperation = 'chat' | 'completions' | 'embeddings';

/** A request in OpenAI's shape; Anthropic ingress is translated to it first. */
export type CanonicalRequest = ChatCompletionRequest | CompletionRequest | EmbeddingRequest;
export type CanonicalResponse = ChatCompletionResponse | CompletionResponse | EmbeddingResponse;

/** Where and how to reach one deployment. */
export interface ProviderTarget {
  /** Registry name of the provider (`openai`, `azure`, `anthropic`, `openai-compatible`, `mock`...). */
  provider: string;
  /** Upstream model name, or the Azure deployment name. */
  model: string;
  /** Base URL including any path prefix (`https://api.openai.com/v1`); empty means the provider's default. */
  apiBase: string;
  apiKey?: string;
  apiVersion?: string;
  /** Extra request headers (LiteLLM `extra_headers`). */
  headers?: Record<string, string>;
  /** Drop parameters the upstream does not support instead of failing with a 400 (LiteLLM `drop_params`). */
  dropParams?: boolean;
  /** The mock provider's answer text (LiteLLM `mock_response`). */
  mockResponse?: string;
  /** Provider-specific settings. */
  extra?: Record<string, unknown>;
}

/** Exactly what `@gw/pool`'s `pool.request()` takes, minus the signal and stream flag. */
export interface UpstreamHttpRequest {
  /** `scheme://host[:port]`, no path. */
  origin: string;
  /** Path and query string. */
  path: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

/** The subset of `@gw/pool`'s response a provider's in-process transport returns. */
export interface UpstreamHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

export interface StreamDecoderOptions {
  /** Called for each data line that is not valid JSON; the line is skipped, never passed on. */
  onMalformed?(raw: string, error: unknown): void;
}

/** Incremental SSE decoding: upstream bytes in, canonical chunks out. */
export interface StreamDecoder {
  /** Feeds bytes as they arrive; returns the chunks they completed. Throws a ProviderError on an in-stream error event. */
  push(bytes: Uint8Array | string): ChatCompletionChunk[];
  /** Flushes at the end of the body; returns any last chunks (a final one when the upstream sent no terminator). */
  end(): ChatCompletionChunk[];
  /** True once the terminator (`[DONE]`, `message_stop`) was seen. */
  readonly terminated: boolean;
  /** Data lines skipped as malformed. */
  readonly malformedCount: number;
  /** Text content emitted so far (for counting usage locally when the upstream reports none). */
  readonly text: string;
  /** The usage the upstream reported, if any. */
  readonly usage: CompletionUsage | undefined;
}

export interface Provider {
  readonly name: string;
  /** Whether the upstream continues a trailing assistant message (used to resume a broken stream). */
  readonly supportsPrefill: boolean;
  buildRequest(
    operation: UpstreamOperation,
    body: CanonicalRequest,
    target: ProviderTarget,
  ): UpstreamHttpRequest;
  parseResponse(
    operation: UpstreamOperation,
    status: number,
    body: unknown,
    target: ProviderTarget,
  ): CanonicalResponse;
  createStreamDecoder(target: ProviderTarget, options?: StreamDecoderOptions): StreamDecoder;
  /** Turns a non-2xx answer into a ProviderError; `target` lets it scrub the key from the message. */
  mapError(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    body: string,
    target?: ProviderTarget,
  ): ProviderError;
  /** In-process transport: when present, callers use it instead of the network (the mock provider). */
  fetch?(
    request: UpstreamHttpRequest,
    target: ProviderTarget,
    signal?: AbortSignal,
  ): Promise<UpstreamHttpResponse>;
}
