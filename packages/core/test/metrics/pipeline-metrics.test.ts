// What the pipeline records in the metrics for whole requests: time to first token, tokens and cost.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import { chunkStream, readAll, scriptedUpstream } from '../pipeline/support/fake-seams.ts';
import { chat, harness } from '../pipeline/support/gateway-harness.ts';

const config = {
  model_list: [{ model_name: 'g', litellm_params: { model: 'openai/gpt-4o' }, model_info: { id: 'a' } }],
};

/** The value of one sample line of the exposition text. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1));
}

describe('time to first token', () => {
  let now = 1_000;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("counts from the request's start, the upstream's wait for its first chunk included", async () => {
    // The pipeline reads performance.now(); this clock moves only when the upstream "takes" its time.
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const upstream = scriptedUpstream({
      a: async () => {
        now += 1_500;
        return chunkStream(['Hel', 'lo'], { usage: { prompt_tokens: 4, completion_tokens: 2 } });
      },
    });
    const gateway = harness({ config, upstream });
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('g', { stream: true }),
    })) as GatewayStreamResponse;
    await readAll(response.stream);
    const text = await gateway.metrics();
    expect(sample(text, 'gw_time_to_first_token_seconds_count{model_group="g"}')).toBe(1);
    expect(sample(text, 'gw_time_to_first_token_seconds_sum{model_group="g"}')).toBeCloseTo(1.5, 9);
    expect(sample(text, 'gw_time_to_first_token_seconds_bucket{le="1",model_group="g"}')).toBe(0);
    expect(sample(text, 'gw_time_to_first_token_seconds_bucket{le="2.5",model_group="g"}')).toBe(1);
  });
});

describe('tokens and cost of an answer without usage', () => {
  it("counts a JSON answer's tokens itself when the upstream reports none, and prices them", async () => {
    const upstream = scriptedUpstream({
      a: async () => ({
        response: {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'one two three' } }],
        },
      }),
    });
    const gateway = harness({ config, upstream });
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('g'),
    })) as GatewayJsonResponse;
    expect(response.status).toBe(200);
    const text = await gateway.metrics();
    // The harness counts words: three output tokens, at gpt-4o's $10 per million.
    expect(sample(text, 'gw_tokens_total{model_group="g",deployment="a",direction="output"}')).toBe(3);
    expect(sample(text, 'gw_tokens_total{model_group="g",deployment="a",direction="input"}')).toBeGreaterThan(
      0,
    );
    expect(Number(response.headers['x-gw-cost'])).toBeGreaterThanOrEqual(3 * 10e-6);
    expect(sample(text, 'gw_cost_usd_total{model_group="g",deployment="a"}')).toBeGreaterThanOrEqual(
      3 * 10e-6,
    );
  });
});
