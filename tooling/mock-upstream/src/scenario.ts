// The scriptable behaviour of one upstream call: timing, content and faults, merged from defaults, model and header.

export interface ScenarioUsage {
  /** prompt_tokens / input_tokens. */
  promptTokens?: number;
  /** completion_tokens / output_tokens. */
  completionTokens?: number;
  /** OpenAI prompt_tokens_details.cached_tokens and Anthropic cache_read_input_tokens. */
  cachedTokens?: number;
  /** Anthropic cache_creation_input_tokens. */
  cacheCreationTokens?: number;
}

export interface ScenarioToolCall {
  name: string;
  /** JSON text, or a value that is serialised to JSON. */
  arguments: string | Record<string, unknown>;
  id?: string;
}

export interface ScenarioStreamError {
  /** Anthropic error type (`overloaded_error` default); OpenAI streams get a `server_error` data line. */
  type?: string;
  message?: string;
  /** Content chunks sent before the error event; 0 default. */
  afterChunks?: number;
}

export interface Scenario {
  /** Delay before anything is sent (before headers). */
  latencyMs?: number;
  /** Delay between the headers and the first content chunk of a stream. */
  ttftMs?: number;
  /** Delay between content chunks; `tokensPerSecond` is the alternative (chunkDelayMs wins). */
  chunkDelayMs?: number;
  tokensPerSecond?: number;
  /** Number of content chunks (default: one per word). */
  chunks?: number;
  /** Text to answer with (default: a fixed sentence). */
  content?: string;
  usage?: ScenarioUsage;
  /** Answer with a tool call instead of text (arguments streamed as deltas). */
  toolCall?: ScenarioToolCall;
  /** Extra response headers on every answer, e.g. `x-ratelimit-remaining-tokens`. */
  headers?: Record<string, string>;

  // Faults. All but rejectPrefill apply only to the first `failFirst` attempts when failFirst is set.
  /** Answer with this HTTP status and the provider's exact error body. */
  status?: number;
  /** Seconds, sent as the Retry-After header with `status`. */
  retryAfter?: number;
  /** Error code variant: `context_length_exceeded`, `content_policy_violation`, `insufficient_quota`, ... */
  errorCode?: string;
  /** Overrides the provider's error message. */
  errorMessage?: string;
  failFirst?: number;
  /** Destroy the TCP socket (RST) before any header. */
  reset?: boolean;
  /** Accept the request and never answer. */
  silent?: boolean;
  /** Stream N content chunks, then destroy the socket with no terminator. */
  cutAfterChunks?: number;
  /** Stream N content chunks, then send nothing while keeping the socket open. */
  stallAfterChunks?: number;
  /** Insert one invalid-JSON SSE data line before content chunk N (1-based), then continue. */
  malformedChunkAt?: number;
  /** End the stream cleanly but without `data: [DONE]` (OpenAI) / `message_stop` (Anthropic). */
  omitDone?: boolean;
  /** Extra delay before the first token, added to ttftMs. */
  slowFirstTokenMs?: number;
  /** An in-stream error event. */
  streamError?: ScenarioStreamError;
  /** Reject a request whose last message has role `assistant` with a 400. */
  rejectPrefill?: boolean;
}

export const scenarioHeader = 'x-mock-scenario';

const faultKeys = [
  'status',
  'retryAfter',
  'errorCode',
  'errorMessage',
  'reset',
  'silent',
  'cutAfterChunks',
  'stallAfterChunks',
  'malformedChunkAt',
  'omitDone',
  'slowFirstTokenMs',
  'streamError',
] as const satisfies readonly (keyof Scenario)[];

/** Later scenarios override earlier ones field by field. */
export function mergeScenarios(...scenarios: (Scenario | undefined)[]): Scenario {
  const merged: Scenario = {};
  for (const scenario of scenarios) {
    if (scenario !== undefined) Object.assign(merged, scenario);
  }
  return merged;
}

/** The scenario with its faults removed once the attempt is past `failFirst`. */
export function effectiveScenario(scenario: Scenario, attempt: number): Scenario {
  if (scenario.failFirst === undefined || attempt <= scenario.failFirst) return scenario;
  const healthy: Scenario = { ...scenario };
  for (const key of faultKeys) delete healthy[key];
  return healthy;
}

export class ScenarioHeaderError extends Error {
  override readonly name = 'ScenarioHeaderError';
}

/** Parses the `x-mock-scenario` header; throws ScenarioHeaderError when it is not a JSON object. */
export function parseScenarioHeader(value: string | undefined): Scenario | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ScenarioHeaderError(`${scenarioHeader} must be a JSON object, got: ${value.slice(0, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScenarioHeaderError(`${scenarioHeader} must be a JSON object`);
  }
  return parsed as Scenario;
}

/** Delay between two content chunks. */
export function chunkDelay(scenario: Scenario): number {
  if (scenario.chunkDelayMs !== undefined) return scenario.chunkDelayMs;
  if (scenario.tokensPerSecond !== undefined && scenario.tokensPerSecond > 0) {
    return 1000 / scenario.tokensPerSecond;
  }
  return 0;
}

/** Delay before the first content chunk. */
export function firstTokenDelay(scenario: Scenario): number {
  return (scenario.ttftMs ?? 0) + (scenario.slowFirstTokenMs ?? 0);
}
