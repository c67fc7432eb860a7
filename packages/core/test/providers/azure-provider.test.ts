import { fingerprintKey, type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureProvider, DEFAULT_AZURE_API_VERSION } from '../../src/providers/azure-provider.ts';
import type { ChatCompletionResponse } from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import {
  assemble,
  callJson,
  callStream,
  expectProviderError,
  withScenario,
} from './support/call-provider.ts';

const KEY = 'azure-key-0123456789abcdef0123';
let mock: MockUpstream;
let target: ProviderTarget;
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hi' }] };

beforeAll(async () => {
  mock = await startMockUpstream();
  target = {
    provider: 'azure',
    model: 'my-gpt4o-deployment',
    apiBase: mock.url,
    apiKey: KEY,
    apiVersion: '2024-06-01',
  };
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('azure provider', () => {
  it('calls the deployment URL with api-version and the api-key header', async () => {
    const response = (await callJson(azureProvider, target, chat)) as ChatCompletionResponse;
    expect(response.choices[0]?.message.content).toContain('quick brown fox');
    const recorded = mock.requests[0]!;
    expect(recorded.dialect).toBe('azure');
    expect(recorded.path).toBe('/openai/deployments/my-gpt4o-deployment/chat/completions');
    expect(recorded.query['api-version']).toBe('2024-06-01');
    expect(recorded.keyFingerprint).toBe(fingerprintKey(KEY));
    expect(recorded.headers.authorization).toBeUndefined();
  });

  it('accepts an api_base ending in /openai and defaults the api-version', async () => {
    const { apiVersion: _unused, ...rest } = target;
    await callJson(azureProvider, { ...rest, apiBase: `${mock.url}/openai` }, chat);
    expect(mock.requests[0]!.path).toBe('/openai/deployments/my-gpt4o-deployment/chat/completions');
    expect(mock.requests[0]!.query['api-version']).toBe(DEFAULT_AZURE_API_VERSION);
  });

  it('streams past the prompt_filter_results chunk to text and usage', async () => {
    const { chunks, decoder, error } = await callStream(azureProvider, target, chat);
    expect(error).toBeUndefined();
    expect(assemble(chunks).text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(decoder.usage?.completion_tokens).toBe(9);
    expect(chunks.every((chunk) => Array.isArray(chunk.choices))).toBe(true);
  });

  it('calls embeddings on the deployment', async () => {
    await callJson(
      azureProvider,
      target,
      { model: 'x', input: 'hello', encoding_format: 'float' },
      'embeddings',
    );
    expect(mock.requests[0]!.path).toBe('/openai/deployments/my-gpt4o-deployment/embeddings');
  });

  it.each([
    [{ status: 429, retryAfter: 6 }, 'rate_limit'],
    [{ status: 401 }, 'auth'],
    [{ status: 400, errorCode: 'content_filter' }, 'content_policy'],
    [{ status: 400, errorCode: 'context_length_exceeded' }, 'context_window_exceeded'],
    [{ status: 500 }, 'upstream_5xx'],
    [{ status: 404, errorCode: 'deployment_not_found' }, 'not_found'],
  ] as const)('maps %j to %s', async (scenario, errorClass) => {
    const error = await expectProviderError(callJson(azureProvider, withScenario(target, scenario), chat));
    expect(error.errorClass).toBe(errorClass);
    if (scenario.status === 429) expect(error.retryAfterMs).toBe(6000);
    expect(error.message).not.toContain(KEY);
  });
});
