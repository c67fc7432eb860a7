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
export { InvalidRequestError } from './errors/invalid-request-error.ts';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.ts';
export { scrubSecrets } from './errors/scrub-secrets.ts';
// ingress validation and error formats
export {
  anthropicErrorEvent,
  type FormattedError,
  formatAnthropicError,
  formatOpenAIError,
  openAIErrorEvent,
} from './ingress/error-format.ts';
export { countTokensResponse, modelCard, modelsListResponse } from './ingress/list-responses.ts';
export {
  formatParamPath,
  type IngressOperation,
  type ValidatedBodies,
  validateRequest,
} from './ingress/validate-request.ts';
// logging and metrics
export { createLogger, type Logger, type LoggerOptions } from './logging/create-logger.ts';
export { requestIdFrom } from './logging/request-id.ts';
export {
  type DeploymentStateSample,
  GatewayMetrics,
  type GatewayMetricsOptions,
  type RequestOutcome,
} from './metrics/gateway-metrics.ts';
// the pipeline
export {
  createGatewayCore,
  type DeploymentHealth,
  type Gateway,
  type GatewayCoreOptions,
  type GatewayParts,
  type HealthReport,
  type Readiness,
} from './pipeline/create-gateway.ts';
export { createGateway, type GatewayOptions } from './pipeline/create-gateway-from-config.ts';
export { type Hooks, type Middleware, STEP_NAMES, type Step, type StepName } from './pipeline/hooks.ts';
export type { RequestValidator } from './pipeline/ingress-protocols.ts';
export type { GatewayLimits, LimitGrant } from './pipeline/limit-grant.ts';
export type {
  GatewayJsonResponse,
  GatewayRequest,
  GatewayResponse,
  GatewayStreamResponse,
  HeaderMap,
  Operation,
  PipelineContext,
} from './pipeline/pipeline-context.ts';
export type {
  CanonicalRequest,
  IngressProtocol,
  OpenedStream,
  SentResponse,
  StreamEncoder,
  UpstreamCaller,
} from './pipeline/seams.ts';
export type { RelayedStream, StreamSink } from './pipeline/stream-relay.ts';
export {
  ANTHROPIC_VERSION,
  type AnthropicProviderOptions,
  anthropicProvider,
  createAnthropicProvider,
} from './providers/anthropic-provider.ts';
export { azureProvider, DEFAULT_AZURE_API_VERSION } from './providers/azure-provider.ts';
export { mapUpstreamError, retryAfterOf, type UpstreamErrorInput } from './providers/map-upstream-error.ts';
export { DEFAULT_MOCK_RESPONSE, mockProvider } from './providers/mock-provider.ts';
export {
  createOpenAIStyleProvider,
  type OpenAIStyleOptions,
  openAICompatibleProvider,
  openAIProvider,
} from './providers/openai-provider.ts';
// providers
export {
  createProviderRegistry,
  getProvider,
  type ProviderRegistry,
  providerNames,
  registerProvider,
} from './providers/provider-registry.ts';
// streaming
export { createAnthropicSseEncoder } from './stream/anthropic-sse-encoder.ts';
export { createAnthropicStreamDecoder } from './stream/anthropic-stream-decoder.ts';
export { type ChunkHandlers, decodeStream, type PushableChunks } from './stream/decode-stream.ts';
export {
  type CanonicalStreamEncoder,
  createOpenAISseEncoder,
  type OpenAISseEncoderOptions,
} from './stream/openai-sse-encoder.ts';
export { createOpenAIStreamDecoder } from './stream/openai-stream-decoder.ts';
export { type Emit, type Producer, pullFromPush } from './stream/pull-from-push.ts';
// translation OpenAI <-> Anthropic
export { fromAnthropicRequest } from './translate/anthropic-to-openai-request.ts';
export { fromAnthropicResponse } from './translate/anthropic-to-openai-response.ts';
export {
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  type ToAnthropicOptions,
  toAnthropicRequest,
} from './translate/openai-to-anthropic-request.ts';
export { toAnthropicResponse } from './translate/openai-to-anthropic-response.ts';
export { forgetRawJson, rawJsonOf, takeRawJson } from './translate/raw-json.ts';
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
