// Maps LiteLLM's provider prefixes to gw providers; OpenAI-compatible hosts get their well-known base URL.

/** LiteLLM provider prefixes that speak the OpenAI wire format, with their public base URL when they have one. */
export const OPENAI_COMPATIBLE_BASES: Readonly<Record<string, string | undefined>> = {
  'openai-compatible': undefined,
  openai_like: undefined,
  hosted_vllm: undefined,
  vllm: undefined,
  groq: 'https://api.groq.com/openai/v1',
  together_ai: 'https://api.together.xyz/v1',
  mistral: 'https://api.mistral.ai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  ollama: 'http://localhost:11434/v1',
  ollama_chat: 'http://localhost:11434/v1',
  fireworks_ai: 'https://api.fireworks.ai/inference/v1',
  xai: 'https://api.x.ai/v1',
  perplexity: 'https://api.perplexity.ai',
  deepinfra: 'https://api.deepinfra.com/v1/openai',
  lm_studio: 'http://localhost:1234/v1',
};

/** Providers gw implements natively. */
export const NATIVE_PROVIDERS = new Set(['openai', 'azure', 'anthropic', 'mock']);

export interface ProviderModel {
  provider: string;
  model: string;
  /** Base URL implied by the provider prefix (e.g. groq), used when `api_base` is absent. */
  defaultApiBase?: string;
  /** False when gw has no provider for this prefix (bedrock, vertex_ai...). */
  supported: boolean;
}

/** `azure/gpt-4o` -> azure + gpt-4o; `gpt-4o` -> openai; `claude-*` -> anthropic, as LiteLLM infers. */
export function parseProviderModel(value: string, explicitProvider?: string): ProviderModel {
  let provider: string;
  let model: string;
  const slash = value.indexOf('/');
  if (explicitProvider !== undefined) {
    provider = explicitProvider;
    model = value.startsWith(`${explicitProvider}/`) ? value.slice(explicitProvider.length + 1) : value;
  } else if (slash > 0) {
    provider = value.slice(0, slash);
    model = value.slice(slash + 1);
  } else {
    provider = value.startsWith('claude') ? 'anthropic' : 'openai';
    model = value;
  }
  provider = provider.toLowerCase();
  if (NATIVE_PROVIDERS.has(provider)) return { provider, model, supported: true };
  if (provider in OPENAI_COMPATIBLE_BASES) {
    const defaultApiBase = OPENAI_COMPATIBLE_BASES[provider];
    return defaultApiBase === undefined
      ? { provider: 'openai-compatible', model, supported: true }
      : { provider: 'openai-compatible', model, defaultApiBase, supported: true };
  }
  return { provider, model, supported: false };
}
