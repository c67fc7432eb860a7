import { describe, expect, it } from 'vitest';
import { parseHealth } from '../src/commands/health.ts';
import { endpoint } from '../src/gateway/endpoint.ts';
import { errorMessageOf } from '../src/gateway/gateway-fetch.ts';
import { buildHistogram } from '../src/load/histogram.ts';
import { percentile, summarizeLoad } from '../src/load/summarize-load.ts';
import { drawHistogram } from '../src/load/terminal-histogram.ts';
import { colourEnabled } from '../src/terminal.ts';

describe('endpoint', () => {
  it('appends the API path to a bare base URL, a /v1 base URL, or leaves a full endpoint alone', () => {
    expect(endpoint('http://h:4000', '/v1/chat/completions')).toBe('http://h:4000/v1/chat/completions');
    expect(endpoint('http://h:4000/', '/health')).toBe('http://h:4000/health');
    expect(endpoint('http://h/v1', '/v1/models')).toBe('http://h/v1/models');
    expect(endpoint('http://h/proxy/v1/chat/completions', '/v1/chat/completions')).toBe(
      'http://h/proxy/v1/chat/completions',
    );
  });
});

describe('errorMessageOf', () => {
  it('reads OpenAI error bodies and falls back to the text', () => {
    expect(errorMessageOf('{"error":{"message":"slow down","type":"rate_limit"}}')).toBe('slow down');
    expect(errorMessageOf('{"error":"nope"}')).toBe('nope');
    expect(errorMessageOf('Bad Gateway')).toBe('Bad Gateway');
    expect(errorMessageOf('')).toBe('(empty body)');
  });
});

describe('load statistics', () => {
  it('interpolates percentiles between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10], 99)).toBe(10);
  });

  it('summarises only successful requests for latency and groups failures by reason', () => {
    const summary = summarizeLoad({
      elapsedSeconds: 2,
      samples: [
        { startMs: 0, latencyMs: 10, ok: true, status: 200, ttftMs: 4 },
        { startMs: 1, latencyMs: 30, ok: true, status: 200, ttftMs: 6 },
        { startMs: 2, latencyMs: 500, ok: false, status: 429, error: 'HTTP 429' },
        { startMs: 3, latencyMs: 1, ok: false, error: 'ECONNRESET' },
      ],
    });
    expect(summary).toMatchObject({ requests: 4, ok: 2, failed: 2, requestsPerSecond: 1 });
    expect(summary.latencyMs).toMatchObject({ min: 10, max: 30, p50: 20 });
    expect(summary.ttftMs).toMatchObject({ min: 4, max: 6 });
    expect(summary.errors).toEqual({ 'HTTP 429': 1, ECONNRESET: 1 });
    expect(summary.statusCounts).toEqual({ '200': 2, '429': 1 });
  });
});

describe('histogram', () => {
  it('puts every value in one of equal-width bins, the maximum in the last', () => {
    const bins = buildHistogram([0, 1, 2, 3, 10], 5);
    expect(bins.map((bin) => bin.count)).toEqual([2, 2, 0, 0, 1]);
    expect(bins[0]).toMatchObject({ from: 0, to: 2 });
    expect(bins.at(-1)!.to).toBe(10);
  });

  it('uses one bin when all values are equal, none when empty', () => {
    expect(buildHistogram([5, 5, 5], 10)).toEqual([{ from: 5, to: 5, count: 3 }]);
    expect(buildHistogram([], 10)).toEqual([]);
  });

  it('draws bars scaled to the fullest bin', () => {
    const text = drawHistogram(
      [
        { from: 0, to: 1, count: 4 },
        { from: 1, to: 2, count: 2 },
      ],
      8,
    );
    expect(text.split('\n')).toEqual(['0.0-1.0 ms │████████ 4', '1.0-2.0 ms │████     2']);
  });
});

describe('colour', () => {
  it('is on for a TTY only, and off with NO_COLOR or TERM=dumb', () => {
    expect(colourEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('parseHealth', () => {
  it('keeps the documented deployments list as is', () => {
    const deployment = {
      id: 'a',
      modelGroup: 'g',
      state: 'half_open',
      latencyMs: 5,
      inFlight: 1,
      rpmUsed: 2,
      tpmUsed: 3,
    };
    expect(parseHealth({ healthy: [], unhealthy: ['a'], deployments: [deployment] }).deployments).toEqual([
      deployment,
    ]);
  });

  it('derives states from healthy/unhealthy entries and their breakers', () => {
    const report = parseHealth({
      healthy: [{ id: 'a', modelGroup: 'g', healthy: true, breaker: 'closed', inFlight: 0 }],
      unhealthy: [
        { id: 'b', modelGroup: 'g', healthy: false, breaker: 'open' },
        { id: 'c', modelGroup: 'g', healthy: false, breaker: 'half-open' },
        { id: 'd', modelGroup: 'h', healthy: false, breaker: 'closed' },
      ],
    });
    expect(report.deployments.map((deployment) => [deployment.id, deployment.state])).toEqual([
      ['a', 'healthy'],
      ['b', 'open'],
      ['c', 'half_open'],
      ['d', 'cooling_down'],
    ]);
  });

  it('rejects a body that is no health report', () => {
    expect(() => parseHealth({ status: 'ok' })).toThrow(/not return a gw health report/);
  });
});
