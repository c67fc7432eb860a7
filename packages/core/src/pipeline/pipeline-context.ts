// What one request carries through the pipeline; hooks read and rewrite it.
import type { Logger } from 'pino';
import type { Principal } from '../auth/authenticate.ts';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { TokenUsage } from '../cost/cost-of.ts';
import type { StreamSink } from './stream-relay.ts';

export type Operation = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'count_tokens';

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface GatewayRequest {
  operation: Operation;
  headers: HeaderMap;
  /** The parsed JSON body (undefined for `models`). */
  body: unknown;
  /** Aborted when the client goes away: cancels the upstream call and releases the reservation. */
  signal?: AbortSignal;
  /**
   * The id a server already settled on with `requestIdFrom` (used as given); without it, gw applies that rule
   * to the caller's `x-request-id` itself.
   */
  requestId?: string;
}

export interface GatewayJsonResponse {
  status: number;
  /** This response's own object: the caller may add to it (a server completes it in place). */
  headers: Record<string, string>;
  body: unknown;
}

export interface GatewayStreamResponse {
  status: number;
  /** This response's own object: the caller may add to it (a server completes it in place). */
  headers: Record<string, string>;
  /**
   * SSE text in the caller's protocol; ends with an explicit error event if the upstream broke mid-stream. The
   * gateway's own streams also have `pipeTo(sink)`, which writes without an async hand-over per piece.
   */
  stream: AsyncIterable<string> & { pipeTo?(sink: StreamSink): Promise<void> };
}

export type GatewayResponse = GatewayJsonResponse | GatewayStreamResponse;

export interface PipelineContext {
  readonly requestId: string;
  readonly operation: Operation;
  readonly headers: HeaderMap;
  /** The caller's body; `validate` replaces `request` from it, so a hook before it may rewrite it. */
  body: unknown;
  /** The validated request in OpenAI's chat/completions/embeddings shape (Anthropic input is translated). */
  request: Record<string, unknown> | undefined;
  readonly signal: AbortSignal;
  readonly log: Logger;
  principal: Principal | undefined;
  /** The model group the caller asked for. */
  modelGroup: string | undefined;
  stream: boolean;
  promptTokens: number | undefined;
  /** The deployment of the current attempt, then of the one that answered. */
  deployment: DeploymentConfig | undefined;
  /** The group that answered (differs from modelGroup after a fallback). */
  servedGroup: string | undefined;
  attempts: number;
  usage: TokenUsage | undefined;
  /** True when usage was counted by gw because the upstream reported none. */
  usageCounted: boolean;
  costUsd: number | undefined;
  response: GatewayResponse | undefined;
  /** Headers added to the response (rate limits, ids); hooks may add their own. */
  readonly responseHeaders: Record<string, string>;
  /** Free space for users' hooks. */
  readonly state: Record<string, unknown>;
}
