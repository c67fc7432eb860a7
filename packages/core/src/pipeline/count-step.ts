// Step `countTokens`: the prompt's tokens, for limits, context-window checks and /count_tokens (gw_settings.count_tokens).
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { Step } from './hooks.ts';

export function countStep(runtime: GatewayRuntime): Step {
  const { config, parts } = runtime;
  return async (ctx) => {
    if (!config.gw.countTokens || ctx.request === undefined) return;
    ctx.promptTokens = parts.countPromptTokens(ctx.request, ctx.operation);
  };
}
