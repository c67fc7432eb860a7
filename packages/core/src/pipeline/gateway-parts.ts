// The parts a gateway is assembled from: ingress protocols, the upstream caller, limits and token counters.
import type { GatewayLimits } from './limit-grant.ts';
import type { Operation } from './pipeline-context.ts';
import type { CanonicalRequest, IngressProtocol, UpstreamCaller } from './seams.ts';

export interface GatewayParts {
  protocols: Record<Operation, IngressProtocol>;
  upstream: UpstreamCaller;
  limits: GatewayLimits;
  /** Prompt tokens of a canonical request, for limits and context-window checks. */
  countPromptTokens(request: CanonicalRequest, operation: Operation): number;
  /** Output tokens of a text, for streams whose upstream reports no usage. */
  countText(text: string, model: string): number;
}
