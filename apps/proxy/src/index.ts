// Public API of @gw/proxy: start the gateway server in-process, or mount its HTTP layer on your own server.

export { applyHeapGrowth, defaultHeapGrowingPercent } from './heap-growth.ts';
export { type AppliedHeapSettings, applyHeapSettings } from './heap-settings.ts';
export { runWorkers, type WorkersOptions } from './run-workers.ts';
export { createProxyServer, type ProxyServer, type ProxyServerOptions } from './server.ts';
export { type RunningProxy, type StartProxyOptions, startProxy } from './start-proxy.ts';
export {
  capYoungGeneration,
  defaultYoungGenerationMb,
  type GrowOutcome,
  growYoungGeneration,
  type YoungGenerationCap,
  type YoungGenerationHeap,
} from './young-generation.ts';
