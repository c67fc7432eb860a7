// Public API of @gw/core.
// config (LiteLLM config.yaml + gw_settings)

// auth
export {
  type Authenticator,
  assertModelAllowed,
  createAuthenticator,
  type Principal,
} from './auth/authenticate.ts';
export { defaultDemoConfig, demoConfigObject } from './config/demo-config.ts';
export type {
  DeploymentConfig,
  FailurePolicy,
  GatewayConfig,
  GwSettings,
  Limits,
  ModelInfo,
  RedisSettings,
  RouterSettings,
  RoutingStrategy,
  TeamConfig,
  VirtualKeyConfig,
} from './config/gateway-config.ts';
export { type ConfigSource, type LoadedConfig, loadConfig } from './config/load-config.ts';
export { Secret } from './config/secret.ts';
// cost
export { type CostOptions, costOf, formatCost, type TokenUsage } from './cost/cost-of.ts';
export { createPriceTable, defaultPriceTable, type ModelPrice, type PriceTable } from './cost/price-table.ts';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.ts';
export { scrubSecrets } from './errors/scrub-secrets.ts';
// logging and metrics
export { createLogger, type Logger, type LoggerOptions } from './logging/create-logger.ts';
export { requestIdFrom } from './logging/request-id.ts';
export {
  type DeploymentStateSample,
  GatewayMetrics,
  type GatewayMetricsOptions,
  type RequestOutcome,
} from './metrics/gateway-metrics.ts';
// wire types and the provider contract
export type * from './types/anthropic.ts';
export type * from './types/openai.ts';
export type {
  CanonicalRequest as ProviderRequest,
  CanonicalResponse,
  Provider,
  ProviderTarget,
  StreamDecoder,
  StreamDecoderOptions,
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamOperation,
} from './types/provider.ts';
