// The normalised gateway configuration every other part of @gw/core reads (LiteLLM names mapped to gw's).
import type { ErrorClassCounts } from './litellm-error-policies.ts';
import type { Secret } from './secret.ts';

export type RoutingStrategy =
  | 'simple-shuffle'
  | 'least-busy'
  | 'usage-based-routing'
  | 'usage-based-routing-v2'
  | 'latency-based-routing'
  | 'cost-based-routing'
  | 'p2c-peak-ewma';

export interface ModelInfo {
  maxInputTokens?: number;
  maxOutputTokens?: number;
  inputCostPerToken?: number;
  outputCostPerToken?: number;
  cachedInputCostPerToken?: number;
  /** Prompt tokens written to the provider's cache (Anthropic's cache writes). */
  cacheWriteCostPerToken?: number;
  /** `chat`, `completion`, `embedding`... as LiteLLM's `model_info.mode`. */
  mode?: string;
  baseModel?: string;
  /** `supports_vision: true` becomes `{ vision: true }`. */
  supports: Record<string, boolean>;
}

export interface DeploymentConfig {
  /** Stable id: `model_info.id` when given, else `<provider>/<model>`; a repeated one gets `#<index in model_list>`. */
  id: string;
  /** The model group clients ask for (`model_name`). */
  modelName: string;
  /** Provider name from `litellm_params.model` (`azure/gpt-4o` -> `azure`); `openai` when absent. */
  provider: string;
  /** Upstream model (or Azure deployment) name, without the provider prefix. */
  model: string;
  apiBase?: string;
  apiKey?: Secret;
  apiVersion?: string;
  rpm?: number;
  tpm?: number;
  /** LiteLLM's per-deployment `max_parallel_requests`: calls beyond it wait for one to finish (in this process). */
  maxParallelRequests?: number;
  weight?: number;
  order?: number;
  timeoutMs?: number;
  streamTimeoutMs?: number;
  maxRetries?: number;
  /** LiteLLM's `mock_response`: answer with this text instead of calling upstream. */
  mockResponse?: string;
  /** Default request parameters from `litellm_params` (temperature, max_tokens...), applied under the caller's. */
  defaultParams: Record<string, unknown>;
  /** Extra request headers from `litellm_params.extra_headers`. */
  extraHeaders: Record<string, string>;
  info: ModelInfo;
}

export interface RedisSettings {
  url?: string;
  host?: string;
  port?: number;
  password?: Secret;
}

export interface RouterSettings {
  routingStrategy: RoutingStrategy;
  numRetries: number;
  timeoutMs?: number;
  streamTimeoutMs?: number;
  retryAfterMs: number;
  allowedFails: number;
  /** LiteLLM's `model_group_alias`: a name callers may use for a model group. */
  modelGroupAliases: Record<string, ModelGroupAlias>;
  /** LiteLLM's `retry_policy`: retries within the group per error class, in place of `numRetries`. */
  retryPolicy?: ErrorClassCounts;
  /** LiteLLM's `model_group_retry_policy`: per group, a policy used instead of `retryPolicy`. */
  groupRetryPolicies: Record<string, ErrorClassCounts>;
  /** LiteLLM's `allowed_fails_policy`: per error class, the failures a deployment may have in a minute. */
  allowedFailsPolicy?: ErrorClassCounts;
  cooldownTimeMs: number;
  fallbacks: Record<string, string[]>;
  contextWindowFallbacks: Record<string, string[]>;
  contentPolicyFallbacks: Record<string, string[]>;
  defaultFallbacks: string[];
  enablePreCallChecks: boolean;
  redis?: RedisSettings;
}

export interface ModelGroupAlias {
  /** The model group the alias stands for. */
  group: string;
  /** Left out of the models list; callers may still use it. */
  hidden: boolean;
}

export interface Limits {
  rpm?: number;
  tpm?: number;
  maxParallelRequests?: number;
  /** Per model group, limits of their own on top of the ones above (LiteLLM's model_rpm_limit, model_tpm_limit). */
  modelLimits?: Record<string, ModelLimits>;
  /** LiteLLM's max_budget and budget_duration. */
  budget?: Budget;
}

export interface Budget {
  /** USD that may be spent in one window. */
  maxUsd: number;
  /** The window, from the first spend; undefined: the budget never resets. */
  durationMs?: number;
}

export interface ModelLimits {
  rpm?: number;
  tpm?: number;
}

export interface VirtualKeyConfig extends Limits {
  key: Secret;
  /** Name used in logs and metrics; never the key itself. */
  alias: string;
  /** Model groups this key may use; empty means all. */
  models: string[];
  team?: string;
}

export interface TeamConfig extends Limits {
  id: string;
  models: string[];
}

export type FailurePolicy = 'fail-open' | 'fail-closed';

export interface GwSettings {
  virtualKeys: VirtualKeyConfig[];
  teams: TeamConfig[];
  /** When the shared limiter store (Redis) is unreachable: admit and count locally (default), or refuse. */
  failurePolicy: FailurePolicy;
  /** Continue a stream that broke after bytes were sent on another deployment. */
  resumeStreams: boolean;
  metrics: boolean;
  corsOrigins: string[];
  bodyLimitBytes: number;
  logLevel: string;
  /** Count prompt tokens before routing (needed for tpm limits and context-window checks). */
  countTokens: boolean;
  /** Prefix of gw's keys in Redis; gateways sharing state must share it. Default `gw:`. */
  redisPrefix: string;
  /** Connections the upstream pool keeps per origin (the pool's default when unset). */
  upstreamConnections?: number;
  /** Requests queued per origin beyond those connections before the pool refuses (the pool's default when unset). */
  upstreamMaxQueued?: number;
}

export interface GatewayConfig {
  deployments: DeploymentConfig[];
  router: RouterSettings;
  /**
   * Limits on every call through the gateway: `global_max_parallel_requests` (general_settings) and the
   * gateway's budget (litellm_settings' `max_budget`, `budget_duration`).
   */
  globalLimits: Limits;
  /** LiteLLM's background_health_checks: every deployment probed with a one-token call this often. */
  healthChecks?: { intervalMs: number };
  masterKey?: Secret;
  dropParams: boolean;
  gw: GwSettings;
}
