// Step `countTokens`: the prompt's tokens, for limits, context-window checks and /count_tokens (gw_settings.count_tokens).
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { SyncStep } from './hooks.ts';

export function countStep(runtime: GatewayRuntime): SyncStep {
  const { config, parts } = runtime;
  return (ctx) => {
    if (!config.gw.countTokens || ctx.request === undefined) return;
    ctx.promptTokens = parts.countPromptTokens(ctx.request, ctx.operation);
  };
}
