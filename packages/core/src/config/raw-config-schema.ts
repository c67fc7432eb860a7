// zod schemas for LiteLLM's config.yaml as users write it (snake_case), plus gw's own `gw_settings`.
import { z } from 'zod';
import { parseBudgetDuration } from './budget-duration.ts';
import { litellmErrorNames } from './litellm-error-policies.ts';

/** YAML and `os.environ/` values may arrive as numeric strings. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'expected a number')
    .transform(Number),
]);
const nonNegative = numeric.pipe(z.number().nonnegative());
const positiveInt = numeric.pipe(z.number().int().positive());
const nonNegativeInt = numeric.pipe(z.number().int().nonnegative());
const boolish = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False']).transform((value) => value.toLowerCase() === 'true'),
]);
const text = z.union([z.string(), z.number().transform(String)]);

/** LiteLLM's RetryPolicy or AllowedFailsPolicy: a count per exception name (`RateLimitErrorRetries: 3`). */
function errorPolicy(suffix: 'Retries' | 'AllowedFails') {
  return z.strictObject(
    Object.fromEntries(
      litellmErrorNames.map((name) => [`${name}${suffix}`, nonNegativeInt.nullable().optional()]),
    ),
  );
}
const retryPolicy = errorPolicy('Retries');

/** LiteLLM's fallbacks: `[{ "gpt-4": ["gpt-3.5"] }]`; a bare string entry is a default fallback group. */
const fallbackList = z.array(z.union([z.record(z.string(), z.array(z.string())), z.string()]));

/** Request parameters a deployment may set as defaults under the caller's. */
export const DEFAULT_PARAM_KEYS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'n',
  'user',
  'response_format',
  'reasoning_effort',
] as const;

/** Known LiteLLM `litellm_params` gw does not act on: accepted silently would hide that; they get a warning. */
export const litellmParamsSchema = z.looseObject({
  model: z.string().min(1, 'must name the upstream model, e.g. openai/gpt-4o'),
  api_base: z.string().url('must be a URL such as https://api.openai.com/v1').optional(),
  base_url: z.string().url('must be a URL').optional(),
  api_key: text.optional(),
  api_version: text.optional(),
  rpm: nonNegativeInt.optional(),
  tpm: nonNegativeInt.optional(),
  max_parallel_requests: positiveInt.optional(),
  weight: nonNegative.optional(),
  order: nonNegativeInt.optional(),
  timeout: nonNegative.optional(),
  stream_timeout: nonNegative.optional(),
  max_retries: nonNegativeInt.optional(),
  mock_response: z.string().optional(),
  extra_headers: z.record(z.string(), text).optional(),
  custom_llm_provider: z.string().optional(),
  // LiteLLM's custom pricing lives here (its docs' place for it); model_info takes the same fields.
  input_cost_per_token: nonNegative.optional(),
  output_cost_per_token: nonNegative.optional(),
  cache_read_input_token_cost: nonNegative.optional(),
  cache_creation_input_token_cost: nonNegative.optional(),
});

export const modelInfoSchema = z.looseObject({
  id: text.optional(),
  mode: z.string().optional(),
  base_model: z.string().optional(),
  max_tokens: nonNegativeInt.optional(),
  max_input_tokens: nonNegativeInt.optional(),
  max_output_tokens: nonNegativeInt.optional(),
  input_cost_per_token: nonNegative.optional(),
  output_cost_per_token: nonNegative.optional(),
  cache_read_input_token_cost: nonNegative.optional(),
  input_cost_per_token_cache_hit: nonNegative.optional(),
  cache_creation_input_token_cost: nonNegative.optional(),
});

export const modelEntrySchema = z.strictObject({
  model_name: text,
  litellm_params: litellmParamsSchema,
  model_info: modelInfoSchema.optional(),
  // LiteLLM's Router also reads rpm/tpm at the top level of a model_list entry.
  rpm: nonNegativeInt.optional(),
  tpm: nonNegativeInt.optional(),
});

const routingStrategy = z.enum([
  'simple-shuffle',
  'least-busy',
  'usage-based-routing',
  'usage-based-routing-v2',
  'latency-based-routing',
  'cost-based-routing',
  'p2c-peak-ewma',
]);

/** LiteLLM's budget_duration, as milliseconds. */
const budgetDuration = z.string().transform((value, context) => {
  const milliseconds = parseBudgetDuration(value);
  if (milliseconds === undefined) {
    context.addIssue({
      code: 'custom',
      message: 'expected a duration such as 30s, 30m, 24h, 30d, 1w or 1mo',
    });
    return z.NEVER;
  }
  return milliseconds;
});

/** Settings shared by router_settings and litellm_settings (router_settings wins). */
const reliabilityShape = {
  num_retries: nonNegativeInt.optional(),
  fallbacks: fallbackList.optional(),
  context_window_fallbacks: fallbackList.optional(),
  content_policy_fallbacks: fallbackList.optional(),
  default_fallbacks: z.array(z.string()).optional(),
  allowed_fails: nonNegativeInt.optional(),
  cooldown_time: nonNegative.optional(),
  retry_after: nonNegative.optional(),
};

export const routerSettingsSchema = z.strictObject({
  ...reliabilityShape,
  routing_strategy: routingStrategy.optional(),
  timeout: nonNegative.optional(),
  stream_timeout: nonNegative.optional(),
  enable_pre_call_checks: boolish.optional(),
  /** Another name for a model group: `{ gpt-4: gpt-4o }`, or `{ gpt-4: { model: gpt-4o, hidden: true } }`. */
  model_group_alias: z
    .record(
      z.string(),
      z.union([z.string(), z.strictObject({ model: z.string(), hidden: boolish.optional() })]),
    )
    .optional(),
  retry_policy: retryPolicy.optional(),
  model_group_retry_policy: z.record(z.string(), retryPolicy).optional(),
  allowed_fails_policy: errorPolicy('AllowedFails').optional(),
  redis_host: z.string().optional(),
  redis_port: positiveInt.optional(),
  redis_password: text.optional(),
  redis_url: z.string().optional(),
});

export const litellmSettingsSchema = z.strictObject({
  ...reliabilityShape,
  request_timeout: nonNegative.optional(),
  drop_params: boolish.optional(),
  /** The whole gateway's spend limit in USD, and its window. */
  max_budget: nonNegative.optional(),
  budget_duration: budgetDuration.optional(),
});

export const generalSettingsSchema = z.strictObject({
  master_key: text.optional(),
  /** Calls in flight through the whole gateway. */
  global_max_parallel_requests: positiveInt.optional(),
  /** LiteLLM's periodic probes of every deployment, and their interval in seconds (default 300). */
  background_health_checks: boolish.optional(),
  health_check_interval: numeric.pipe(z.number().positive()).optional(),
});

const limitsShape = {
  /** LiteLLM's spend limit in USD, and the window it resets after (none: it never resets). */
  max_budget: nonNegative.optional(),
  budget_duration: budgetDuration.optional(),
  /** LiteLLM's per-model limits of a key: `{ gpt-4o: 10 }`. */
  model_rpm_limit: z.record(z.string(), nonNegativeInt).optional(),
  model_tpm_limit: z.record(z.string(), nonNegativeInt).optional(),
  rpm: nonNegativeInt.optional(),
  tpm: nonNegativeInt.optional(),
  max_parallel_requests: nonNegativeInt.optional(),
};

/** `10mb`, `512kb`, `1048576`. */
const byteSize = z.union([
  positiveInt,
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)$/i, 'expected a size such as 10mb or a number of bytes')
    .transform((value) => {
      const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i.exec(value)!;
      const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
      return Math.round(Number(match[1]) * units[match[2]!.toLowerCase()]!);
    }),
]);

export const gwSettingsSchema = z.strictObject({
  virtual_keys: z
    .array(
      z.strictObject({
        key: text.pipe(z.string().min(8, 'must be at least 8 characters')),
        alias: z.string().optional(),
        models: z.array(z.string()).optional(),
        team: z.string().optional(),
        ...limitsShape,
      }),
    )
    .optional(),
  teams: z
    .array(z.strictObject({ id: z.string().min(1), models: z.array(z.string()).optional(), ...limitsShape }))
    .optional(),
  failure_policy: z.enum(['fail-open', 'fail-closed']).optional(),
  resume_streams: boolish.optional(),
  metrics: boolish.optional(),
  cors_origins: z.array(z.string()).optional(),
  body_limit: byteSize.optional(),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  count_tokens: boolish.optional(),
  redis_prefix: z.string().min(1).optional(),
  upstream_connections: positiveInt.optional(),
  upstream_max_queued: nonNegativeInt.optional(),
});

export const rawConfigSchema = z.strictObject({
  model_list: z.array(modelEntrySchema).default([]),
  router_settings: routerSettingsSchema.optional(),
  litellm_settings: litellmSettingsSchema.optional(),
  general_settings: generalSettingsSchema.optional(),
  environment_variables: z.record(z.string(), text).optional(),
  gw_settings: gwSettingsSchema.optional(),
});

export type RawConfig = z.output<typeof rawConfigSchema>;
export type RawModelEntry = z.output<typeof modelEntrySchema>;
