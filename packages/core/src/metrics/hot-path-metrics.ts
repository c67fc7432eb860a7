// Counters and histograms for the per-request path: a label set resolves once to a handle, and recording is plain
// arithmetic on it. prom-client's own `labels()` children hash and validate their labels on every call; these are
// read only at scrape time, through the same Registry and in the same exposition format.
import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string | number>>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

export interface CounterHandle {
  inc(value?: number): void;
}

export interface HistogramHandle {
  observe(value: number): void;
}

interface Definition {
  name: string;
  help: string;
  registry: Registry;
}

/** What a Registry needs of a metric: its name, help, type and a `get()` of its current values. */
abstract class RegisteredMetric<Handle> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;
  protected readonly series = new Map<string, { labels: Labels; handle: Handle }>();

  constructor(definition: Definition) {
    this.name = definition.name;
    this.help = definition.help;
    // registerMetric takes any object with this shape; prom-client's types only name its own classes.
    definition.registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The handle of one label set; callers keep it (or look it up by their own key) instead of passing labels. */
  labels(labels: Labels): Handle {
    const key = seriesKey(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels: { ...labels }, handle: this.createHandle() };
      this.series.set(key, entry);
    }
    return entry.handle;
  }

  reset(): void {
    this.series.clear();
  }

  protected abstract createHandle(): Handle;

  abstract get(): Promise<CollectedMetric>;
}

function seriesKey(labels: Labels): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

class Count implements CounterHandle {
  value = 0;
  inc(value = 1): void {
    this.value += value;
  }
}

export class HotCounter extends RegisteredMetric<CounterHandle> {
  readonly type = 'counter' as const;

  protected createHandle(): CounterHandle {
    return new Count();
  }

  async get(): Promise<CollectedMetric> {
    const values: MetricValue[] = [];
    for (const { labels, handle } of this.series.values()) {
      values.push({ labels, value: (handle as Count).value });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

class Distribution implements HistogramHandle {
  /** counts[i] = observations <= bounds[i] and > bounds[i - 1]; the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram extends RegisteredMetric<HistogramHandle> {
  readonly type = 'histogram' as const;
  readonly #bounds: readonly number[];

  constructor(definition: Definition & { buckets: readonly number[] }) {
    super(definition);
    this.#bounds = [...definition.buckets].sort((left, right) => left - right);
  }

  protected createHandle(): HistogramHandle {
    return new Distribution(this.#bounds);
  }

  async get(): Promise<CollectedMetric> {
    const values: MetricValue[] = [];
    for (const { labels, handle } of this.series.values()) {
      const distribution = handle as Distribution;
      let cumulative = 0;
      this.#bounds.forEach((bound, index) => {
        cumulative += distribution.counts[index] as number;
        values.push({
          labels: { le: bound, ...labels },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push({
        labels: { le: '+Inf', ...labels },
        value: distribution.count,
        metricName: `${this.name}_bucket`,
      });
      values.push({ labels, value: distribution.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: distribution.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
