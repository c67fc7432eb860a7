// Estimates the tokens a chat/completions request will use before it runs, for token-limit reservations.

/** The fields of an OpenAI-style request an estimator may read. */
export interface EstimatorRequest {
  model?: string;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  messages?: readonly unknown[];
  prompt?: unknown;
  input?: unknown;
}

export type TokenEstimator = (request: EstimatorRequest) => number;

export interface TokenEstimatorOptions {
  /** Exact prompt tokens (e.g. from @gw/tokens). Without it, prompt text is estimated at 4 characters a token. */
  countPromptTokens?: (request: EstimatorRequest) => number;
  /** Output tokens assumed per model when the request sets no max_tokens. */
  outputTokensByModel?: Readonly<Record<string, number>>;
  /** Output tokens assumed when neither the request nor the model says. Default 1024. */
  defaultOutputTokens?: number;
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += textLength(item);
    return total;
  }
  if (typeof value === 'object' && value !== null) {
    let total = 0;
    for (const [field, item] of Object.entries(value)) {
      // Images and audio are not text; counting base64 as characters would overstate wildly.
      if (field === 'image_url' || field === 'input_audio') continue;
      total += textLength(item);
    }
    return total;
  }
  return 0;
}

/** Characters per token of English text with OpenAI's tokenizers; a rough, cheap prompt estimate. */
const charactersPerToken = 4;

export function estimatePromptTokens(request: EstimatorRequest): number {
  const characters = textLength(request.messages) + textLength(request.prompt) + textLength(request.input);
  return Math.ceil(characters / charactersPerToken);
}

/** Prompt tokens plus max_tokens (or the per-model default): an upper bound when max_tokens is set. */
export function createTokenEstimator(options: TokenEstimatorOptions = {}): TokenEstimator {
  const countPrompt = options.countPromptTokens ?? estimatePromptTokens;
  const byModel = options.outputTokensByModel ?? {};
  const fallback = options.defaultOutputTokens ?? 1024;
  return (request) => {
    const requested = request.max_completion_tokens ?? request.max_tokens;
    const output =
      typeof requested === 'number' && requested >= 0
        ? requested
        : ((request.model === undefined ? undefined : byModel[request.model]) ?? fallback);
    return countPrompt(request) + output;
  };
}
