// What a custom gateway is built from: one model group served by several OpenAI-compatible upstreams.
import type { LimitSpec } from '@gw/ratelimit';
import type { RouterOptions } from '@gw/router';

export interface Upstream {
  id: string;
  /** `scheme://host[:port]` of an OpenAI-compatible API */
  origin: string;
  apiKey: string;
  model: string;
  /** Priority tier: the lowest order serves while it can; higher orders are the backups. */
  order?: number;
}

export interface GatewayOptions {
  modelGroup: string;
  upstreams: Upstream[];
  /** The limits one caller (its Authorization header) is held to. */
  limits: (caller: string) => LimitSpec[];
  router?: Omit<Partial<RouterOptions>, 'deployments'>;
}
