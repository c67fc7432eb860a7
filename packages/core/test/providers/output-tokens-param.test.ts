import { describe, expect, it } from 'vitest';
import { azureProvider } from '../../src/providers/azure-provider.ts';
import { openAICompatibleProvider, openAIProvider } from '../../src/providers/openai-provider.ts';
import type { CanonicalRequest, Provider, ProviderTarget } from '../../src/types/provider.ts';

const request = { model: 'alias', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hi' }] };

function sentBody(provider: Provider, target: ProviderTarget, body: CanonicalRequest = request) {
  return JSON.parse(provider.buildRequest('chat', body, target).body!) as Record<string, unknown>;
}

function target(provider: string, model: string): ProviderTarget {
  return { provider, model, apiBase: 'https://upstream.test/v1', apiKey: 'sk-x', apiVersion: '2025-01-01' };
}

describe('the output-token limit toward OpenAI reasoning models', () => {
  it('sends max_completion_tokens, which o-series and gpt-5 models require, in place of max_tokens', () => {
    for (const model of ['o1', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-nano']) {
      const body = sentBody(openAIProvider, target('openai', model));
      expect(body).toMatchObject({ model, max_completion_tokens: 100 });
      expect(body).not.toHaveProperty('max_tokens');
    }
  });

  it('does the same for an Azure deployment named after such a model', () => {
    const body = sentBody(azureProvider, target('azure', 'o3-mini'));
    expect(body.max_completion_tokens).toBe(100);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it("keeps a caller's own max_completion_tokens when it sent both", () => {
    const body = sentBody(openAIProvider, target('openai', 'o3'), { ...request, max_completion_tokens: 40 });
    expect(body.max_completion_tokens).toBe(40);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('leaves max_tokens to other OpenAI models and to every OpenAI-compatible server', () => {
    expect(sentBody(openAIProvider, target('openai', 'gpt-4o')).max_tokens).toBe(100);
    const compatible = sentBody(openAICompatibleProvider, target('openai-compatible', 'o3-local'));
    expect(compatible.max_tokens).toBe(100);
    expect(compatible).not.toHaveProperty('max_completion_tokens');
  });
});
