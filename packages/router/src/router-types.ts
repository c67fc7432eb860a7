// The router's public contract: options, requests, attempt context, results, events and state snapshots.
import type { BackoffOptions } from './backoff.ts';
import type { BreakerStore } from './breaker-store.ts';
import type { BreakerOptions, BreakerState } from './circuit-breaker.ts';
import type { StrategyOptions } from './create-strategy.ts';
import type { Deployment, DeploymentCapabilities } from './deployment.ts';
import type { LatencyOptions } from './deployment-stats.ts';
import type { ErrorClass, ErrorClassifier } from './error-class.ts';
import type { RetryBudgetOptions } from './retry-budget.ts';
import type { RetryRule } from './retry-policy.ts';
import type { Strategy, StrategyName } from './strategy.ts';
import type { Sleep, Timers } from './timers.ts';
import type { UsageSource } from './usage-source.ts';

export interface TokenUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export interface RouteRequest {
  modelGroup: string;
  /** Counted prompt tokens, for context window and tpm pre-call checks. */
  promptTokens?: number;
  /** The request's `max_tokens`, checked against the deployment's `maxOutputTokens`. */
  maxTokens?: number;
  requires?: DeploymentCapabilities;
  /** Streams rank by time to first token and are subject to the TTFT timeout. */
  stream?: boolean;
  signal?: AbortSignal;
  /** Total time allowed for the call, retries and waits included. */
  deadlineMs?: number;
  /** Overrides the router's `ttftTimeoutMs` for this request. */
  ttftTimeoutMs?: number;
  /** Deployment ids never to try in this call (say, the one that just broke a stream being resumed). */
  exclude?: readonly string[];
}

export interface AttemptContext {
  /** 1 for the first attempt of the call, counting across fallback groups. */
  attempt: number;
  /** Aborted on deadline, TTFT timeout or caller abort: pass it to the upstream call. */
  signal: AbortSignal;
  /** The group being tried, which is a fallback group after the original one failed. */
  modelGroup: string;
  /** Say the stream reached the client: an error after this is never retried transparently. */
  markFirstByte(): void;
  /** Tokens this attempt used, for tpm accounting and events. */
  reportUsage(usage: TokenUsage): void;
}

export type Attempt<T> = (deployment: Deployment, context: AttemptContext) => Promise<T>;

export interface RouteResult<T> {
  value: T;
  deployment: Deployment;
  /** The group that served the call (differs from the request's after a fallback). */
  modelGroup: string;
  attempts: number;
  latencyMs: number;
  ttftMs?: number;
}

export interface AttemptEvent {
  deployment: Deployment;
  modelGroup: string;
  attempt: number;
  ok: boolean;
  latencyMs: number;
  ttftMs?: number;
  errorClass?: ErrorClass;
  status?: number;
  error?: unknown;
  /** Whether this failure opened the deployment's breaker. */
  breakerOpened: boolean;
  usage?: TokenUsage;
}

export interface ResultEvent {
  /** The group the caller asked for. */
  requestedGroup: string;
  modelGroup?: string;
  deployment?: Deployment;
  ok: boolean;
  attempts: number;
  latencyMs: number;
  ttftMs?: number;
  errorClass?: ErrorClass;
  error?: unknown;
}

export interface HealthCheckOptions {
  /** Time between the end of one round of probes and the start of the next. */
  intervalMs: number;
  /**
   * A cheap call to the deployment; a rejection counts as a failure. Pass `signal` on to the call: it aborts at
   * `timeoutMs` and on `close()`.
   */
  probe: (deployment: Deployment, signal: AbortSignal) => Promise<void>;
  /** A probe still unsettled after this long counts as a timeout failure. Default `intervalMs`. */
  timeoutMs?: number;
  /** The deployments to probe (a deployment that cannot be probed is left to real traffic). Default: all. */
  includes?: (deployment: Deployment) => boolean;
}

export interface RouterOptions {
  deployments: Deployment[];
  strategy?: StrategyName | Strategy;
  strategyOptions?: StrategyOptions;
  /** Retries per model group for every error class without its own rule. Default 2. */
  numRetries?: number;
  retryPolicy?: Partial<Record<ErrorClass, RetryRule>>;
  /**
   * Per model group, a policy used instead of `retryPolicy` for that group (LiteLLM's
   * `model_group_retry_policy`); error classes it leaves out get the defaults with `numRetries`.
   */
  groupRetryPolicies?: Record<string, Partial<Record<ErrorClass, RetryRule>>>;
  backoff?: BackoffOptions;
  /** Longest wait for a Retry-After or cooldown when no other deployment is available. Default 10 s. */
  retryAfterCapMs?: number;
  /** Group to ordered fallback groups; the key `*` applies to every group without its own list. */
  fallbacks?: Record<string, string[]>;
  contextWindowFallbacks?: Record<string, string[]>;
  contentPolicyFallbacks?: Record<string, string[]>;
  breaker?: BreakerOptions;
  breakerStore?: BreakerStore;
  retryBudget?: RetryBudgetOptions;
  /** Default total time per call; a request's `deadlineMs` overrides it. */
  deadlineMs?: number;
  ttftTimeoutMs?: number;
  latency?: Partial<LatencyOptions>;
  /** Sorts failures into error classes; what it throws on or answers with no known class, `classifyError` sorts. */
  classify?: ErrorClassifier;
  usage?: UsageSource;
  healthCheck?: HealthCheckOptions;
  clock?: () => number;
  random?: () => number;
  timers?: Timers;
  sleep?: Sleep;
  onAttempt?: (event: AttemptEvent) => void;
  onResult?: (event: ResultEvent) => void;
}

export interface DeploymentState {
  id: string;
  modelGroup: string;
  breaker: BreakerState;
  openUntil?: number;
  openReason?: ErrorClass;
  inFlight: number;
  latencyMs?: number;
  ttftMs?: number;
  peakEwmaMs: number;
  rpmUsed: number;
  tpmUsed: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
}

export interface RouterState {
  deployments: DeploymentState[];
  retryBudget?: { requests: number; retries: number };
}

export interface Router {
  execute<T>(request: RouteRequest, attempt: Attempt<T>): Promise<RouteResult<T>>;
  /** Tokens a call used, reported after a stream completes (counts toward tpm). */
  reportUsage(deploymentId: string, usage: TokenUsage): void;
  /** A failure noticed after `execute` returned (a stream that broke later), fed to the breaker. */
  reportFailure(deploymentId: string, error: unknown): void;
  state(): RouterState;
  groups(): string[];
  deployments(group?: string): Deployment[];
  /** Stops health checks, aborting running probes. The breaker store belongs to the caller and stays open. */
  close(): Promise<void>;
}
