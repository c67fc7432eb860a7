// Public API of @gw/core.
// config (LiteLLM config.yaml + gw_settings)
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
