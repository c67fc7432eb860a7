// The provider registry: gw's built-ins plus any a user registers under a name of their own.
import type { Provider } from '../types/provider.ts';
import { anthropicProvider } from './anthropic-provider.ts';
import { azureProvider } from './azure-provider.ts';
import { mockProvider } from './mock-provider.ts';
import { openAICompatibleProvider, openAIProvider } from './openai-provider.ts';

export interface ProviderRegistry {
  register(provider: Provider): void;
  get(name: string): Provider | undefined;
  names(): string[];
}

export const builtInProviders: readonly Provider[] = [
  openAIProvider,
  azureProvider,
  anthropicProvider,
  openAICompatibleProvider,
  mockProvider,
];

/** A registry of its own (tests, several gateways in one process); starts with the built-ins. */
export function createProviderRegistry(providers: readonly Provider[] = builtInProviders): ProviderRegistry {
  const byName = new Map<string, Provider>();
  for (const provider of providers) byName.set(provider.name, provider);
  return {
    register(provider) {
      byName.set(provider.name, provider);
    },
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
  };
}

const defaultRegistry = createProviderRegistry();

/** Adds or replaces a provider in the process-wide registry the gateway uses by default. */
export function registerProvider(provider: Provider): void {
  defaultRegistry.register(provider);
}

export function getProvider(name: string): Provider | undefined {
  return defaultRegistry.get(name);
}

export function providerNames(): string[] {
  return defaultRegistry.names();
}
