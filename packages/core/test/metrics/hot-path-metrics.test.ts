import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HotCounter, HotHistogram } from '../../src/metrics/hot-path-metrics.ts';

const buckets = [0.01, 0.1, 1, 10];
const observations: [string, number][] = [
  ['a', 0.005],
  ['a', 0.01],
  ['b', 0.5],
  ['a', 3],
  ['b', 42],
  ['a', 0.1],
];

describe('hot-path metrics', () => {
  it("expose a histogram exactly as prom-client's Histogram does for the same observations", async () => {
    const reference = new Registry();
    const ours = new Registry();
    const histogram = new Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['group'],
      buckets,
      registers: [reference],
    });
    const hot = new HotHistogram({ name: 'latency_seconds', help: 'Latency.', buckets, registry: ours });
    for (const [group, value] of observations) {
      histogram.labels({ group }).observe(value);
      hot.labels({ group }).observe(value);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it("expose a counter exactly as prom-client's Counter does, one series per label set", async () => {
    const reference = new Registry();
    const ours = new Registry();
    const counter = new Counter({
      name: 'tokens_total',
      help: 'Tokens.',
      labelNames: ['group', 'direction'],
      registers: [reference],
    });
    const hot = new HotCounter({ name: 'tokens_total', help: 'Tokens.', registry: ours });
    for (const [group, value] of observations) {
      counter.labels({ group, direction: 'input' }).inc(value);
      hot.labels({ group, direction: 'input' }).inc(value);
    }
    hot.labels({ group: 'a', direction: 'input' }).inc();
    counter.labels({ group: 'a', direction: 'input' }).inc();
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it('hands out the same handle for the same labels in any order', () => {
    const hot = new HotCounter({ name: 'x_total', help: 'X.', registry: new Registry() });
    expect(hot.labels({ a: '1', b: '2' })).toBe(hot.labels({ b: '2', a: '1' }));
    expect(hot.labels({ a: '1', b: '2' })).not.toBe(hot.labels({ a: '1', b: '3' }));
  });
});
