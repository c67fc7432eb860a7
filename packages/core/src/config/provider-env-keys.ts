// LiteLLM's environment fallbacks: a deployment without api_key uses its provider's key variable (OPENAI_API_KEY...).
import type { Env } from './env-references.ts';
import type { DeploymentConfig } from './gateway-config.ts';
import { Secret } from './secret.ts';

/**
 * The key variable of each provider's own host, as LiteLLM names them. A key goes only to its provider's host: a
 * deployment that points `openai/...` at a vLLM server of its own never gets the OpenAI key.
 */
const KEY_VARIABLE_BY_HOST: Readonly<Record<string, string>> = {
  'api.openai.com': 'OPENAI_API_KEY',
  'api.anthropic.com': 'ANTHROPIC_API_KEY',
  'api.groq.com': 'GROQ_API_KEY',
  'api.together.xyz': 'TOGETHERAI_API_KEY',
  'api.mistral.ai': 'MISTRAL_API_KEY',
  'api.deepseek.com': 'DEEPSEEK_API_KEY',
  'openrouter.ai': 'OPENROUTER_API_KEY',
  'api.fireworks.ai': 'FIREWORKS_AI_API_KEY',
  'api.x.ai': 'XAI_API_KEY',
  'api.perplexity.ai': 'PERPLEXITYAI_API_KEY',
  'api.deepinfra.com': 'DEEPINFRA_API_KEY',
};

/** Where a deployment without `api_base` goes: its provider's own host. */
const DEFAULT_HOST: Readonly<Record<string, string>> = {
  openai: 'api.openai.com',
  anthropic: 'api.anthropic.com',
};

function hostOf(deployment: DeploymentConfig): string | undefined {
  if (deployment.apiBase === undefined) return DEFAULT_HOST[deployment.provider];
  try {
    return new URL(deployment.apiBase).hostname;
  } catch {
    return undefined;
  }
}

function set(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Fills what a LiteLLM config leaves to the environment: the provider's key for its own host, and Azure's
 * `AZURE_API_KEY`, `AZURE_API_BASE` and `AZURE_API_VERSION`. A hosted provider's deployment left without a key
 * gets a warning: every call to it would come back 401.
 */
export function applyProviderEnvironment(
  deployments: readonly DeploymentConfig[],
  env: Env,
  warnings: string[],
): void {
  for (const deployment of deployments) {
    if (deployment.mockResponse !== undefined || deployment.provider === 'mock') continue;
    if (deployment.provider === 'azure') {
      const base = set(env, 'AZURE_API_BASE');
      if (deployment.apiBase === undefined && base !== undefined) deployment.apiBase = base;
      const version = set(env, 'AZURE_API_VERSION');
      if (deployment.apiVersion === undefined && version !== undefined) deployment.apiVersion = version;
      const key = set(env, 'AZURE_API_KEY');
      if (deployment.apiKey === undefined && key !== undefined) deployment.apiKey = new Secret(key);
      continue;
    }
    if (deployment.apiKey !== undefined) continue;
    const host = hostOf(deployment);
    const variable = host === undefined ? undefined : KEY_VARIABLE_BY_HOST[host];
    if (variable === undefined) continue;
    const key = set(env, variable);
    if (key !== undefined) deployment.apiKey = new Secret(key);
    else {
      warnings.push(
        `deployment ${deployment.id}: no litellm_params.api_key and ${variable} is not set; ${host} will refuse its calls (401)`,
      );
    }
  }
}
