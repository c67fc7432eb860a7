// The built-in demo configuration: a `demo` group on the in-process mock provider, plus real groups when keys are set.
import type { Env } from './env-references.ts';
import type { GatewayConfig } from './gateway-config.ts';
import { loadConfig } from './load-config.ts';

/** The demo config in LiteLLM's format, so users can copy it into their own config.yaml. */
export function demoConfigObject(env: Env = process.env): Record<string, unknown> {
  const modelList: Record<string, unknown>[] = [
    {
      model_name: 'demo',
      litellm_params: { model: 'mock/demo', rpm: 600 },
      model_info: { id: 'demo-mock', max_input_tokens: 128000, max_output_tokens: 4096 },
    },
  ];
  if (env.OPENAI_API_KEY) {
    for (const model of ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1']) {
      modelList.push({
        model_name: model,
        litellm_params: { model: `openai/${model}`, api_key: 'os.environ/OPENAI_API_KEY' },
      });
    }
    modelList.push({
      model_name: 'text-embedding-3-small',
      litellm_params: { model: 'openai/text-embedding-3-small', api_key: 'os.environ/OPENAI_API_KEY' },
      model_info: { mode: 'embedding' },
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5']) {
      modelList.push({
        model_name: model,
        litellm_params: { model: `anthropic/${model}`, api_key: 'os.environ/ANTHROPIC_API_KEY' },
      });
    }
  }
  return { model_list: modelList, router_settings: { num_retries: 2 } };
}

export function defaultDemoConfig(env: Env = process.env): GatewayConfig {
  return loadConfig({ object: demoConfigObject(env) }, env).config;
}
