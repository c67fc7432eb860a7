// The two seams between the pipeline and the wire: the caller's protocol (ingress) and the upstream call.
import type { GwError } from '@gw/errors';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { TokenUsage } from '../cost/cost-of.ts';
import type { Operation } from './pipeline-context.ts';

/** A request in OpenAI's shape (chat completions, completions or embeddings), whatever the caller spoke. */
export type CanonicalRequest = Record<string, unknown>;

export interface StreamEncoder {
  /** SSE text for one canonical (OpenAI-shaped) chunk; empty when the caller's protocol has nothing to say. */
  chunk(chunk: unknown): string;
  /** The terminator after a complete stream (`data: [DONE]`, `message_stop`...). */
  end(): string;
  /** An explicit error event: the stream broke after bytes reached the caller. */
  error(error: GwError): string;
}

/** The caller's side: OpenAI or Anthropic format in and out. */
export interface IngressProtocol {
  /** Validates and converts the caller's body; throws a GwError (400) naming the bad field. */
  parse(body: unknown): CanonicalRequest;
  /** The canonical response in the caller's format. */
  formatResponse(response: unknown, requestedModel: string): unknown;
  /**
   * `request` is the caller's validated request (e.g. whether it asked for usage in the stream); `promptTokens`
   * gw's own count of its prompt, when token counting is on.
   */
  createStreamEncoder(
    requestedModel: string,
    request: CanonicalRequest,
    promptTokens?: number,
  ): StreamEncoder;
  /** An error in the caller's format. */
  formatError(error: GwError): { status: number; body: unknown };
}

export interface SentResponse {
  response: unknown;
  usage?: TokenUsage;
  /** Time spent waiting on the upstream (headers and body), when the caller measured it. */
  upstreamMs?: number;
}

export interface OpenedStream {
  chunks: AsyncIterator<unknown>;
  /** Time spent waiting for the upstream's response headers, when the caller measured it. */
  upstreamMs?: number;
}

/** Calls one deployment: builds the upstream request, sends it through the pool, parses and maps errors. */
export interface UpstreamCaller {
  send(
    deployment: DeploymentConfig,
    operation: Operation,
    request: CanonicalRequest,
    signal: AbortSignal,
    /** Sent upstream as `x-request-id`, so a provider's logs can be matched with gw's. */
    requestId?: string,
  ): Promise<SentResponse>;
  stream(
    deployment: DeploymentConfig,
    request: CanonicalRequest,
    signal: AbortSignal,
    operation?: Operation,
    requestId?: string,
  ): Promise<OpenedStream>;
  /** Whether this deployment's provider continues an assistant prefill (used to resume streams). */
  supportsPrefill(deployment: DeploymentConfig): boolean;
}
