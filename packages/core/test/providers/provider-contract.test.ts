// The contract every built-in provider meets against mock-upstream; a user's provider can run the same checks.
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/provider-error.ts';
import { getProvider } from '../../src/providers/provider-registry.ts';
import type { ChatCompletionRequest, ChatCompletionResponse } from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import {
  assemble,
  callJson,
  callStream,
  expectProviderError,
  withScenario,
} from './support/call-provider.ts';

const KEY = 'sk-contract-secret-key-000111222';
let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const targets: Record<string, () => ProviderTarget> = {
  openai: () => ({ provider: 'openai', model: 'gpt-4o-mini', apiBase: `${mock.url}/v1`, apiKey: KEY }),
  azure: () => ({
    provider: 'azure',
    model: 'deployment-1',
    apiBase: mock.url,
    apiKey: KEY,
    apiVersion: '2024-10-21',
  }),
  anthropic: () => ({ provider: 'anthropic', model: 'claude-haiku-4-5', apiBase: mock.url, apiKey: KEY }),
  'openai-compatible': () => ({
    provider: 'openai-compatible',
    model: 'qwen',
    apiBase: `${mock.url}/v1`,
    apiKey: KEY,
  }),
};

const request: ChatCompletionRequest = {
  model: 'group',
  messages: [
    { role: 'system', content: 'Be helpful.' },
    { role: 'user', content: 'Hello' },
  ],
};

describe.each(Object.keys(targets))('provider contract: %s', (name) => {
  const provider = () => getProvider(name)!;
  const target = () => targets[name]!();

  it('answers a chat request with a canonical chat.completion and usage', async () => {
    const response = (await callJson(provider(), target(), request)) as ChatCompletionResponse;
    expect(response.object).toBe('chat.completion');
    expect(response.choices[0]?.message.role).toBe('assistant');
    expect(response.choices[0]?.message.content).toBe('The quick brown fox jumps over the lazy dog.');
    expect(response.choices[0]?.finish_reason).toBe('stop');
    expect(response.usage?.completion_tokens).toBe(9);
    expect(response.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('streams canonical chunks with a finish reason and usage', async () => {
    const { chunks, decoder, error } = await callStream(provider(), target(), request);
    expect(error).toBeUndefined();
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(assemble(chunks)).toMatchObject({
      text: 'The quick brown fox jumps over the lazy dog.',
      finishReason: 'stop',
    });
    expect(decoder.terminated).toBe(true);
    expect(decoder.usage?.completion_tokens).toBe(9);
    expect(decoder.text).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('streams a tool call as id, name and argument deltas', async () => {
    const { chunks } = await callStream(
      provider(),
      withScenario(target(), { toolCall: { name: 'find', arguments: { term: 'contract' }, id: 'call_c' } }),
      {
        ...request,
        tools: [{ type: 'function', function: { name: 'find', parameters: { type: 'object' } } }],
      },
    );
    expect(assemble(chunks).tools).toEqual([
      { id: 'call_c', name: 'find', arguments: '{"term":"contract"}' },
    ]);
    expect(assemble(chunks).finishReason).toBe('tool_calls');
  });

  it('skips a malformed chunk, finalises a stream without terminator, fails a cut one', async () => {
    const malformed = await callStream(provider(), withScenario(target(), { malformedChunkAt: 2 }), request);
    expect([malformed.error, malformed.malformed.length]).toEqual([undefined, 1]);
    const noTerminator = await callStream(provider(), withScenario(target(), { omitDone: true }), request);
    expect([noTerminator.error, assemble(noTerminator.chunks).finishReason]).toEqual([undefined, 'stop']);
    const cut = await callStream(provider(), withScenario(target(), { cutAfterChunks: 2 }), request);
    expect(cut.error).toBeDefined();
  });

  it.each([
    [{ status: 429, retryAfter: 4 }, 'rate_limit'],
    [{ status: 401 }, 'auth'],
    [{ status: 400, errorCode: 'context_length_exceeded' }, 'context_window_exceeded'],
    [{ status: 400, errorCode: 'content_policy_violation' }, 'content_policy'],
    [{ status: 500 }, 'upstream_5xx'],
    [{ status: 503 }, 'upstream_5xx'],
  ] as const)('maps %j to %s without the key in the message', async (scenario, errorClass) => {
    // Anthropic tells 400 kinds apart by message text only, so those keep the provider's own message.
    const echo = scenario.status === 400 ? {} : { errorMessage: `failure for key ${KEY}` };
    const error = await expectProviderError(
      callJson(provider(), withScenario(target(), { ...scenario, ...echo }), request),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.errorClass).toBe(errorClass);
    expect(error.provider).toBe(name);
    if (scenario.status === 429) expect(error.retryAfterMs).toBe(4000);
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.details)).not.toContain(KEY);
  });

  it('surfaces an in-stream error event as a retryable ProviderError', async () => {
    const { error } = await callStream(
      provider(),
      withScenario(target(), { streamError: { afterChunks: 1 } }),
      request,
    );
    expect(ProviderError.isProviderError(error)).toBe(true);
    expect((error as ProviderError).isRetryable).toBe(true);
  });
});
