// Prometheus metrics of one gateway instance, in its own registry so several gateways in a process never collide.
import { Counter, Gauge, Registry } from 'prom-client';
import { innerMap } from '../collections/inner-map.ts';
import { HotCounter, HotHistogram } from './hot-path-metrics.ts';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Gateway overhead is microseconds to a few milliseconds. */
const OVERHEAD_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05,
];

export interface DeploymentStateSample {
  deployment: string;
  modelGroup: string;
  /** 1 when the router may send it traffic, 0 while cooling down or with its breaker open. */
  available: number;
  inFlight?: number;
}

export interface GatewayMetricsOptions {
  /** Prefix of every metric name; `gw_` by default. */
  prefix?: string;
  /** Read at scrape time, never per request. */
  deploymentStates?: () => DeploymentStateSample[];
  limiterStoreUp?: () => number;
  /** The limiter store's counters (decisions, denied, failures, fail-open decisions...), read at scrape time. */
  limiterStats?: () => Readonly<Record<string, number>>;
}

export interface RequestOutcome {
  operation: string;
  modelGroup: string;
  deployment: string;
  /** HTTP status returned to the caller. */
  status: number;
  stream: boolean;
  durationSeconds: number;
  overheadSeconds: number;
  ttftSeconds?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  attempts: number;
  /** The error class when the request failed (rate_limit, timeout, auth...). */
  errorClass?: string;
}

/** What prom-client's `labels()` returns, for counters and histograms alike. */
interface Child {
  inc(value?: number): void;
  observe(value: number): void;
}

/**
 * The children one (operation, model group, deployment) writes to when a request finishes, found through maps
 * keyed by the label values themselves (see innerMap). Label sets come from the config, so these stay small.
 */
interface Series {
  readonly operation: string;
  readonly group: string;
  readonly deployment: string;
  readonly requests: Map<number, Child>;
  /** Indexed by stream (0 for JSON, 1 for streams). */
  readonly latency: (Child | undefined)[];
  readonly overhead: Child;
  ttft?: Child;
  readonly tokens: { input?: Child; output?: Child };
  cost?: Child;
}

export class GatewayMetrics {
  readonly registry: Registry;
  readonly #requests: HotCounter;
  readonly #errors: Counter<'model_group' | 'class'>;
  readonly #attemptErrors: Counter<'model_group' | 'deployment' | 'class'>;
  readonly #latency: HotHistogram;
  readonly #ttft: HotHistogram;
  readonly #overhead: HotHistogram;
  readonly #tokens: HotCounter;
  readonly #cost: HotCounter;
  readonly #retries: Counter<'model_group'>;
  readonly #limited: Counter<'scope'>;
  readonly #inFlight: Gauge;
  readonly #series = new Map<string, Map<string, Map<string, Series>>>();

  constructor(options: GatewayMetricsOptions = {}) {
    const prefix = options.prefix ?? 'gw_';
    const registry = new Registry();
    const registers = [registry];
    this.registry = registry;
    this.#requests = new HotCounter({
      name: `${prefix}requests_total`,
      help: 'Requests answered, by operation, model group, deployment that answered and HTTP status.',
      registry,
    });
    this.#errors = new Counter({
      name: `${prefix}errors_total`,
      help: 'Requests that failed, by error class (rate_limit, auth, bad_request, context_window, content_policy, timeout, upstream_5xx, connection...).',
      labelNames: ['model_group', 'class'],
      registers,
    });
    this.#attemptErrors = new Counter({
      name: `${prefix}upstream_attempt_errors_total`,
      help: 'Failed upstream attempts (retried, fallen back or final), by deployment and error class.',
      labelNames: ['model_group', 'deployment', 'class'],
      registers,
    });
    this.#latency = new HotHistogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Total time from request to last byte.',
      buckets: LATENCY_BUCKETS,
      registry,
    });
    this.#ttft = new HotHistogram({
      name: `${prefix}time_to_first_token_seconds`,
      help: 'Time from request to the first streamed content byte.',
      buckets: LATENCY_BUCKETS,
      registry,
    });
    this.#overhead = new HotHistogram({
      name: `${prefix}overhead_seconds`,
      help: 'Time the gateway itself spent on a request: everything but waiting on the upstream.',
      buckets: OVERHEAD_BUCKETS,
      registry,
    });
    this.#tokens = new HotCounter({
      name: `${prefix}tokens_total`,
      help: 'Tokens billed, by direction (input or output).',
      registry,
    });
    this.#cost = new HotCounter({
      name: `${prefix}cost_usd_total`,
      help: 'Cost in USD, attributed to the deployment that answered.',
      registry,
    });
    this.#retries = new Counter({
      name: `${prefix}extra_attempts_total`,
      help: 'Upstream attempts beyond the first (retries and fallbacks).',
      labelNames: ['model_group'],
      registers,
    });
    this.#limited = new Counter({
      name: `${prefix}rate_limited_total`,
      help: 'Requests refused by a gateway limit, by scope (key, team, deployment).',
      labelNames: ['scope'],
      registers,
    });
    this.#inFlight = new Gauge({
      name: `${prefix}in_flight_requests`,
      help: 'Requests in progress.',
      registers,
    });
    const deploymentStates = options.deploymentStates;
    if (deploymentStates !== undefined) {
      new Gauge({
        name: `${prefix}deployment_available`,
        help: 'Router state per deployment: 1 available, 0 cooling down or breaker open.',
        labelNames: ['model_group', 'deployment'],
        registers,
        collect() {
          this.reset();
          for (const sample of deploymentStates()) {
            this.set({ model_group: sample.modelGroup, deployment: sample.deployment }, sample.available);
          }
        },
      });
      new Gauge({
        name: `${prefix}deployment_in_flight`,
        help: 'Requests in progress per deployment.',
        labelNames: ['model_group', 'deployment'],
        registers,
        collect() {
          this.reset();
          for (const sample of deploymentStates()) {
            if (sample.inFlight !== undefined) {
              this.set({ model_group: sample.modelGroup, deployment: sample.deployment }, sample.inFlight);
            }
          }
        },
      });
    }
    const limiterStats = options.limiterStats;
    if (limiterStats !== undefined) {
      new Gauge({
        name: `${prefix}limiter_store`,
        help: 'Counters of the rate-limit store since start (decisions, denied, failures, timeouts, failOpenDecisions, failClosedRejections, keys...).',
        labelNames: ['stat'],
        registers,
        collect() {
          for (const [stat, value] of Object.entries(limiterStats())) this.set({ stat }, value);
        },
      });
    }
    const limiterStoreUp = options.limiterStoreUp;
    if (limiterStoreUp !== undefined) {
      new Gauge({
        name: `${prefix}limiter_store_up`,
        help: 'Whether the shared limiter store (Redis) answered its last call: 1 up, 0 down.',
        registers,
        collect() {
          this.set(limiterStoreUp());
        },
      });
    }
  }

  requestStarted(): void {
    this.#inFlight.inc();
  }

  #seriesOf(operation: string, group: string, deployment: string): Series {
    const byDeployment = innerMap(innerMap(this.#series, operation), group);
    let series = byDeployment.get(deployment);
    if (series === undefined) {
      series = {
        operation,
        group,
        deployment,
        requests: new Map(),
        latency: [undefined, undefined],
        tokens: {},
        overhead: this.#overhead.labels({ operation }) as Child,
      };
      byDeployment.set(deployment, series);
    }
    return series;
  }

  #addTokens(series: Series, direction: 'input' | 'output', tokens: number): void {
    let child = series.tokens[direction];
    if (child === undefined) {
      child = this.#tokens.labels({
        model_group: series.group,
        deployment: series.deployment,
        direction,
      }) as Child;
      series.tokens[direction] = child;
    }
    child.inc(tokens);
  }

  requestFinished(outcome: RequestOutcome): void {
    this.#inFlight.dec();
    const series = this.#seriesOf(outcome.operation, outcome.modelGroup, outcome.deployment);
    const { operation, group, deployment } = series;
    let requests = series.requests.get(outcome.status);
    if (requests === undefined) {
      requests = this.#requests.labels({
        operation,
        model_group: group,
        deployment,
        status: outcome.status,
      }) as Child;
      series.requests.set(outcome.status, requests);
    }
    requests.inc();
    const streamed = outcome.stream ? 1 : 0;
    let latency = series.latency[streamed];
    if (latency === undefined) {
      latency = this.#latency.labels({
        operation,
        model_group: group,
        stream: outcome.stream ? 'true' : 'false',
      }) as Child;
      series.latency[streamed] = latency;
    }
    latency.observe(outcome.durationSeconds);
    series.overhead.observe(outcome.overheadSeconds);
    if (outcome.ttftSeconds !== undefined) {
      series.ttft ??= this.#ttft.labels({ model_group: group }) as Child;
      series.ttft.observe(outcome.ttftSeconds);
    }
    if (outcome.errorClass !== undefined) this.#errors.inc({ model_group: group, class: outcome.errorClass });
    if (outcome.attempts > 1) this.#retries.inc({ model_group: group }, outcome.attempts - 1);
    if (outcome.inputTokens) this.#addTokens(series, 'input', outcome.inputTokens);
    if (outcome.outputTokens) this.#addTokens(series, 'output', outcome.outputTokens);
    if (outcome.costUsd) {
      series.cost ??= this.#cost.labels({ model_group: group, deployment }) as Child;
      series.cost.inc(outcome.costUsd);
    }
  }

  attemptFailed(modelGroup: string, deployment: string, errorClass: string): void {
    this.#attemptErrors.inc({ model_group: modelGroup, deployment, class: errorClass });
  }

  rateLimited(scope: string): void {
    this.#limited.inc({ scope });
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
