// Maps usage between OpenAI (prompt includes cached tokens) and Anthropic (input excludes cache reads and writes).
import type { AnthropicUsage } from '../types/anthropic.ts';
import type { CompletionUsage } from '../types/openai.ts';

export function usageFromAnthropic(usage: Partial<AnthropicUsage>): CompletionUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage.output_tokens ?? 0;
  const result: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
  if (cacheWrite > 0) result.cache_creation_input_tokens = cacheWrite;
  return result;
}

export function usageToAnthropic(usage: CompletionUsage | null | undefined): AnthropicUsage {
  if (usage === undefined || usage === null) return { input_tokens: 0, output_tokens: 0 };
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite),
    output_tokens: usage.completion_tokens,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}
