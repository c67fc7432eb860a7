import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.ts';

const outcome = {
  operation: 'chat',
  modelGroup: 'gpt-4o',
  deployment: 'openai/gpt-4o',
  status: 200,
  stream: false,
  durationSeconds: 0.2,
  overheadSeconds: 0.00004,
  inputTokens: 12,
  outputTokens: 30,
  costUsd: 0.0003,
  attempts: 2,
};

describe('GatewayMetrics', () => {
  it('records requests, tokens, cost, overhead and extra attempts', async () => {
    const metrics = new GatewayMetrics();
    metrics.requestStarted();
    metrics.requestFinished(outcome);
    const text = await metrics.text();
    expect(text).toContain(
      'gw_requests_total{operation="chat",model_group="gpt-4o",deployment="openai/gpt-4o",status="200"} 1',
    );
    expect(text).toContain(
      'gw_tokens_total{model_group="gpt-4o",deployment="openai/gpt-4o",direction="input"} 12',
    );
    expect(text).toContain(
      'gw_tokens_total{model_group="gpt-4o",deployment="openai/gpt-4o",direction="output"} 30',
    );
    expect(text).toContain('gw_cost_usd_total{model_group="gpt-4o",deployment="openai/gpt-4o"} 0.0003');
    expect(text).toContain('gw_extra_attempts_total{model_group="gpt-4o"} 1');
    expect(text).toContain('gw_overhead_seconds_bucket{le="0.00005",operation="chat"} 1');
    expect(text).toContain('gw_in_flight_requests 0');
  });

  it('keeps every label set of a burst of requests apart, and adds up the ones that share a series', async () => {
    const metrics = new GatewayMetrics();
    const finished = (changes: Partial<typeof outcome> & { ttftSeconds?: number }) => {
      metrics.requestStarted();
      metrics.requestFinished({ ...outcome, ...changes });
    };
    finished({});
    finished({ deployment: 'azure/gpt-4o', outputTokens: 5 });
    finished({ status: 502, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    finished({ stream: true, ttftSeconds: 0.05 });
    finished({ operation: 'messages', stream: true, ttftSeconds: 0.05 });
    finished({ modelGroup: 'claude', deployment: 'anthropic/claude', inputTokens: 7 });
    const text = await metrics.text();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}()]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(
      value(
        'gw_requests_total{operation="chat",model_group="gpt-4o",deployment="openai/gpt-4o",status="200"}',
      ),
    ).toBe(2);
    expect(
      value(
        'gw_requests_total{operation="chat",model_group="gpt-4o",deployment="openai/gpt-4o",status="502"}',
      ),
    ).toBe(1);
    expect(
      value(
        'gw_requests_total{operation="chat",model_group="gpt-4o",deployment="azure/gpt-4o",status="200"}',
      ),
    ).toBe(1);
    expect(
      value(
        'gw_requests_total{operation="messages",model_group="gpt-4o",deployment="openai/gpt-4o",status="200"}',
      ),
    ).toBe(1);
    // Latency is per operation, group and stream: both deployments of gpt-4o add to one series.
    expect(
      value('gw_request_duration_seconds_count{operation="chat",model_group="gpt-4o",stream="false"}'),
    ).toBe(3);
    expect(
      value('gw_request_duration_seconds_count{operation="chat",model_group="gpt-4o",stream="true"}'),
    ).toBe(1);
    expect(
      value('gw_request_duration_seconds_count{operation="chat",model_group="claude",stream="false"}'),
    ).toBe(1);
    expect(value('gw_overhead_seconds_count{operation="chat"}')).toBe(5);
    expect(value('gw_overhead_seconds_count{operation="messages"}')).toBe(1);
    expect(value('gw_time_to_first_token_seconds_count{model_group="gpt-4o"}')).toBe(2);
    expect(value('gw_tokens_total{model_group="gpt-4o",deployment="openai/gpt-4o",direction="input"}')).toBe(
      36,
    );
    expect(value('gw_tokens_total{model_group="gpt-4o",deployment="azure/gpt-4o",direction="output"}')).toBe(
      5,
    );
    expect(
      value('gw_tokens_total{model_group="claude",deployment="anthropic/claude",direction="input"}'),
    ).toBe(7);
    expect(value('gw_cost_usd_total{model_group="claude",deployment="anthropic/claude"}')).toBeCloseTo(
      0.0003,
    );
    expect(text).toContain('gw_in_flight_requests 0');
  });

  it('counts errors by class and limiter refusals by scope', async () => {
    const metrics = new GatewayMetrics();
    metrics.requestStarted();
    metrics.requestFinished({ ...outcome, status: 429, errorClass: 'rate_limit' });
    metrics.rateLimited('key');
    metrics.attemptFailed('gpt-4o', 'openai/gpt-4o', 'timeout');
    const text = await metrics.text();
    expect(text).toContain('gw_errors_total{model_group="gpt-4o",class="rate_limit"} 1');
    expect(text).toContain('gw_rate_limited_total{scope="key"} 1');
    expect(text).toContain(
      'gw_upstream_attempt_errors_total{model_group="gpt-4o",deployment="openai/gpt-4o",class="timeout"} 1',
    );
  });

  it('reads deployment and limiter state at scrape time', async () => {
    let available = 1;
    const metrics = new GatewayMetrics({
      deploymentStates: () => [{ deployment: 'a', modelGroup: 'g', available, inFlight: 3 }],
      limiterStoreUp: () => 0,
      limiterStats: () => ({ decisions: 7, denied: 2 }),
    });
    expect(await metrics.text()).toContain('gw_deployment_available{model_group="g",deployment="a"} 1');
    available = 0;
    const text = await metrics.text();
    expect(text).toContain('gw_deployment_available{model_group="g",deployment="a"} 0');
    expect(text).toContain('gw_deployment_in_flight{model_group="g",deployment="a"} 3');
    expect(text).toContain('gw_limiter_store_up 0');
    expect(text).toContain('gw_limiter_store{stat="denied"} 2');
  });

  it('keeps two gateways in one process apart', async () => {
    const first = new GatewayMetrics();
    const second = new GatewayMetrics();
    first.requestStarted();
    first.requestFinished(outcome);
    expect(await first.text()).toContain('gw_requests_total{');
    expect(await second.text()).not.toContain('gw_requests_total{');
  });
});
