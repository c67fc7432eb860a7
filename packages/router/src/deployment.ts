// What the router knows about one deployment: a model served by one provider, region or key.

/** Features a request may need; `false` means the deployment lacks it, absent means assumed present. */
export interface DeploymentCapabilities {
  assistantPrefill?: boolean;
  tools?: boolean;
  vision?: boolean;
}

export interface Deployment {
  /** Unique across the router. */
  id: string;
  /** The model name clients ask for; several deployments share one group. */
  modelGroup: string;
  provider?: string;
  model?: string;
  /** Relative share for `simple-shuffle`; when any deployment of a group has one, weights decide. */
  weight?: number;
  /** Requests per minute this deployment accepts. */
  rpm?: number;
  /** Tokens per minute this deployment accepts. */
  tpm?: number;
  maxParallelRequests?: number;
  /** Context window: the prompt must fit. */
  maxInputTokens?: number;
  maxOutputTokens?: number;
  inputCostPerToken?: number;
  outputCostPerToken?: number;
  /** Priority tier: the lowest order is used first; the next tier only when none in it is healthy. */
  order?: number;
  region?: string;
  tags?: string[];
  capabilities?: DeploymentCapabilities;
}
