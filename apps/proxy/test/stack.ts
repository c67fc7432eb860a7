// Test fixture: a mock upstream plus a real proxy configured to route to it, torn down together.
import { type LoadedConfig, loadConfig } from '@gw/core';
import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from '@gw/mock-upstream';
import { type RunningProxy, type StartProxyOptions, startProxy } from '../src/index.ts';

export interface Stack {
  mock: MockUpstream;
  proxy: RunningProxy;
  close(): Promise<void>;
}

/** The LiteLLM-style config object most tests use: OpenAI and Anthropic groups on the mock. */
export function mockConfigObject(mockUrl: string, gwSettings: Record<string, unknown> = {}) {
  return {
    model_list: [
      {
        model_name: 'gpt-4o',
        litellm_params: { model: 'openai/gpt-4o', api_base: `${mockUrl}/v1`, api_key: 'sk-test' },
      },
      {
        model_name: 'embed',
        litellm_params: {
          model: 'openai/text-embedding-3-small',
          api_base: `${mockUrl}/v1`,
          api_key: 'sk-test',
        },
        model_info: { mode: 'embedding' },
      },
      {
        model_name: 'claude',
        litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mockUrl, api_key: 'sk-ant-test' },
      },
      {
        model_name: 'cut',
        litellm_params: { model: 'openai/cut', api_base: `${mockUrl}/v1`, api_key: 'sk-test' },
      },
      // Two deployments, so a 429 is retried on the other one before the caller sees it.
      {
        model_name: 'flaky',
        litellm_params: { model: 'openai/flaky', api_base: `${mockUrl}/v1`, api_key: 'sk-test' },
        model_info: { id: 'flaky-1' },
      },
      {
        model_name: 'flaky',
        litellm_params: { model: 'openai/flaky', api_base: `${mockUrl}/v1`, api_key: 'sk-test' },
        model_info: { id: 'flaky-2' },
      },
    ],
    router_settings: { num_retries: 1, retry_after: 0 },
    general_settings: { master_key: 'sk-master-0000' },
    gw_settings: {
      virtual_keys: [
        { key: 'sk-team-a-1234', alias: 'team-a', models: ['gpt-4o', 'claude'] },
        { key: 'sk-limited-123', alias: 'limited', rpm: 2 },
        // One gpt-4o answer of the mock ($0.0000925) spends it.
        { key: 'sk-budgeted-12', alias: 'budgeted', max_budget: 0.00009 },
      ],
      ...gwSettings,
    },
  };
}

export function loadObject(object: unknown): LoadedConfig['config'] {
  return loadConfig({ object }, {}).config;
}

export async function startStack(
  options: {
    mock?: MockUpstreamOptions;
    config?: (mockUrl: string) => unknown;
    proxy?: Omit<StartProxyOptions, 'config' | 'configPath'>;
  } = {},
): Promise<Stack> {
  const mock = await startMockUpstream({ port: 0, ...options.mock });
  const object = (options.config ?? mockConfigObject)(mock.url);
  const proxy = await startProxy({
    config: loadObject(object),
    port: 0,
    logLevel: 'silent',
    env: {},
    ...options.proxy,
  });
  return {
    mock,
    proxy,
    async close() {
      await proxy.close();
      await mock.close();
    },
  };
}

export const MASTER_KEY = 'sk-master-0000';
