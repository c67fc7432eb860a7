// Maps the validated LiteLLM-shaped config onto gw's GatewayConfig, warning about settings gw does not act on.
import type { ConfigIssue } from './config-error.ts';
import type {
  DeploymentConfig,
  GatewayConfig,
  GwSettings,
  Limits,
  ModelInfo,
  ModelLimits,
  RouterSettings,
  TeamConfig,
  VirtualKeyConfig,
} from './gateway-config.ts';
import { countsByErrorClass } from './litellm-error-policies.ts';
import { parseProviderModel } from './provider-names.ts';
import { DEFAULT_PARAM_KEYS, type RawConfig, type RawModelEntry } from './raw-config-schema.ts';
import { Secret } from './secret.ts';

const KNOWN_PARAMS = new Set<string>([
  'model',
  'api_base',
  'base_url',
  'api_key',
  'api_version',
  'rpm',
  'tpm',
  'max_parallel_requests',
  'weight',
  'order',
  'timeout',
  'stream_timeout',
  'max_retries',
  'mock_response',
  'extra_headers',
  'custom_llm_provider',
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  ...DEFAULT_PARAM_KEYS,
]);

/** model_info fields that describe a deployment for humans; accepted without a warning. */
const DESCRIPTIVE_INFO = new Set([
  'id',
  'mode',
  'base_model',
  'description',
  'version',
  'metadata',
  'tier',
  'db_model',
  'team_id',
  'max_tokens',
  'max_input_tokens',
  'max_output_tokens',
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'input_cost_per_token_cache_hit',
  'cache_creation_input_token_cost',
]);

export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export function normalizeConfig(raw: RawConfig, warnings: string[], issues: ConfigIssue[]): GatewayConfig {
  const deployments = normalizeDeployments(raw.model_list, warnings);
  const router = normalizeRouter(raw);
  const gw = normalizeGw(raw, issues);
  const groups = new Set(deployments.map((deployment) => deployment.modelName));
  checkGroupReferences(router, gw, groups, warnings);
  const config: GatewayConfig = {
    deployments,
    router,
    globalLimits: limits({
      max_parallel_requests: raw.general_settings?.global_max_parallel_requests,
      max_budget: raw.litellm_settings?.max_budget,
      budget_duration: raw.litellm_settings?.budget_duration,
    }),
    dropParams: raw.litellm_settings?.drop_params ?? false,
    gw,
  };
  const masterKey = raw.general_settings?.master_key;
  if (masterKey !== undefined) config.masterKey = new Secret(masterKey);
  if (raw.general_settings?.background_health_checks === true) {
    config.healthChecks = { intervalMs: (raw.general_settings.health_check_interval ?? 300) * 1000 };
  }
  return config;
}

function normalizeDeployments(entries: RawModelEntry[], warnings: string[]): DeploymentConfig[] {
  const deployments: DeploymentConfig[] = [];
  const usedIds = new Set<string>();
  entries.forEach((entry, index) => {
    const path = `model_list[${index}]`;
    const params = entry.litellm_params;
    if (isWildcard(entry.model_name, params.model)) {
      warnings.push(
        `${path}: a wildcard deployment needs a provider and a single '*' in model_name (openai/* serving openai/*), entry ignored`,
      );
      return;
    }
    const parsed = parseProviderModel(params.model, params.custom_llm_provider);
    if (!parsed.supported) {
      warnings.push(
        `${path}.litellm_params.model: gw has no built-in provider '${parsed.provider}'; register one with registerProvider or calls to this deployment fail`,
      );
    }
    const info = normalizeInfo(entry, path, warnings);
    const deployment: DeploymentConfig = {
      id: uniqueId(entry, parsed.provider, parsed.model, index, usedIds),
      modelName: entry.model_name,
      provider: parsed.provider,
      model: parsed.model,
      defaultParams: {},
      extraHeaders: {},
      info,
    };
    const apiBase = params.api_base ?? params.base_url ?? parsed.defaultApiBase;
    if (apiBase !== undefined) deployment.apiBase = apiBase;
    if (params.api_key !== undefined) deployment.apiKey = new Secret(params.api_key);
    if (params.api_version !== undefined) deployment.apiVersion = params.api_version;
    const rpm = params.rpm ?? entry.rpm;
    const tpm = params.tpm ?? entry.tpm;
    if (rpm !== undefined) deployment.rpm = rpm;
    if (tpm !== undefined) deployment.tpm = tpm;
    if (params.max_parallel_requests !== undefined)
      deployment.maxParallelRequests = params.max_parallel_requests;
    if (params.weight !== undefined) deployment.weight = params.weight;
    if (params.order !== undefined) deployment.order = params.order;
    if (params.timeout !== undefined) deployment.timeoutMs = params.timeout * 1000;
    if (params.stream_timeout !== undefined) deployment.streamTimeoutMs = params.stream_timeout * 1000;
    if (params.max_retries !== undefined) deployment.maxRetries = params.max_retries;
    if (params.mock_response !== undefined) deployment.mockResponse = params.mock_response;
    if (params.extra_headers !== undefined) deployment.extraHeaders = { ...params.extra_headers };
    for (const [key, value] of Object.entries(params)) {
      if ((DEFAULT_PARAM_KEYS as readonly string[]).includes(key)) deployment.defaultParams[key] = value;
      else if (!KNOWN_PARAMS.has(key)) {
        warnings.push(`${path}.litellm_params.${key}: unknown setting, ignored by gw`);
      }
    }
    deployments.push(deployment);
  });
  return deployments;
}

/**
 * The wildcard entries gw cannot serve: a bare `*` model (LiteLLM then takes the provider from each request's
 * name), a pattern with more than one `*`, or a `*` in the model that model_name does not capture.
 */
function isWildcard(modelName: unknown, model: unknown): boolean {
  if (typeof modelName !== 'string' || typeof model !== 'string') return false;
  const starsInName = modelName.split('*').length - 1;
  const starsInModel = model.split('*').length - 1;
  return model === '*' || starsInName > 1 || starsInModel > 1 || (starsInModel === 1 && starsInName === 0);
}

/**
 * The model_list settings normalizeConfig skips with a warning (wildcard entries it cannot serve, unknown `litellm_params` and
 * `model_info` keys), read from the config before validation so they are known even when it fails.
 */
export function ignoredModelListPaths(modelList: unknown): string[] {
  const paths: string[] = [];
  if (!Array.isArray(modelList)) return paths;
  modelList.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const path = `model_list[${index}]`;
    const params = isRecord(entry.litellm_params) ? entry.litellm_params : {};
    if (isWildcard(entry.model_name, params.model)) {
      paths.push(path);
      return;
    }
    for (const key of Object.keys(params)) {
      if (!KNOWN_PARAMS.has(key)) paths.push(`${path}.litellm_params.${key}`);
    }
    if (!isRecord(entry.model_info)) return;
    for (const key of Object.keys(entry.model_info)) {
      if (!key.startsWith('supports_') && !DESCRIPTIVE_INFO.has(key)) paths.push(`${path}.model_info.${key}`);
    }
  });
  return paths;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function uniqueId(
  entry: RawModelEntry,
  provider: string,
  model: string,
  index: number,
  used: Set<string>,
): string {
  let id = entry.model_info?.id ?? `${provider}/${model}`;
  if (used.has(id)) id = `${id}#${index}`;
  used.add(id);
  return id;
}

interface RawPrices {
  input_cost_per_token?: number | undefined;
  output_cost_per_token?: number | undefined;
  cache_read_input_token_cost?: number | undefined;
  /** LiteLLM's older name for the cached-input price (model_info only). */
  input_cost_per_token_cache_hit?: number | undefined;
  cache_creation_input_token_cost?: number | undefined;
}

/** A deployment's own prices, in USD per token; model_info's, read after litellm_params', win over them. */
function addPrices(info: ModelInfo, raw: RawPrices): void {
  if (raw.input_cost_per_token !== undefined) info.inputCostPerToken = raw.input_cost_per_token;
  if (raw.output_cost_per_token !== undefined) info.outputCostPerToken = raw.output_cost_per_token;
  const cached = raw.cache_read_input_token_cost ?? raw.input_cost_per_token_cache_hit;
  if (cached !== undefined) info.cachedInputCostPerToken = cached;
  if (raw.cache_creation_input_token_cost !== undefined)
    info.cacheWriteCostPerToken = raw.cache_creation_input_token_cost;
}

function normalizeInfo(entry: RawModelEntry, path: string, warnings: string[]): ModelInfo {
  const raw = entry.model_info;
  const info: ModelInfo = { supports: {} };
  addPrices(info, entry.litellm_params);
  if (raw === undefined) return info;
  const maxInput = raw.max_input_tokens ?? raw.max_tokens;
  if (maxInput !== undefined) info.maxInputTokens = maxInput;
  if (raw.max_output_tokens !== undefined) info.maxOutputTokens = raw.max_output_tokens;
  addPrices(info, raw);
  if (raw.mode !== undefined) info.mode = raw.mode;
  if (raw.base_model !== undefined) info.baseModel = raw.base_model;
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('supports_')) {
      if (typeof value === 'boolean') info.supports[key.slice('supports_'.length)] = value;
      else warnings.push(`${path}.model_info.${key}: expected true or false, ignored`);
    } else if (!DESCRIPTIVE_INFO.has(key)) {
      warnings.push(`${path}.model_info.${key}: unknown setting, ignored by gw`);
    }
  }
  return info;
}

type FallbackList = NonNullable<NonNullable<RawConfig['router_settings']>['fallbacks']>;

function fallbackMap(...lists: (FallbackList | undefined)[]): {
  map: Record<string, string[]>;
  defaults: string[];
} {
  const map: Record<string, string[]> = {};
  const defaults: string[] = [];
  for (const list of lists) {
    for (const item of list ?? []) {
      if (typeof item === 'string') defaults.push(item);
      else for (const [group, targets] of Object.entries(item)) map[group] = [...targets];
    }
  }
  return { map, defaults };
}

function normalizeRouter(raw: RawConfig): RouterSettings {
  const litellm = raw.litellm_settings ?? {};
  const router = raw.router_settings ?? {};
  const fallbacks = fallbackMap(litellm.fallbacks, router.fallbacks);
  const settings: RouterSettings = {
    routingStrategy: router.routing_strategy ?? 'simple-shuffle',
    numRetries: router.num_retries ?? litellm.num_retries ?? 2,
    retryAfterMs: (router.retry_after ?? litellm.retry_after ?? 0) * 1000,
    allowedFails: router.allowed_fails ?? litellm.allowed_fails ?? 3,
    cooldownTimeMs: (router.cooldown_time ?? litellm.cooldown_time ?? 5) * 1000,
    fallbacks: fallbacks.map,
    contextWindowFallbacks: fallbackMap(litellm.context_window_fallbacks, router.context_window_fallbacks)
      .map,
    contentPolicyFallbacks: fallbackMap(litellm.content_policy_fallbacks, router.content_policy_fallbacks)
      .map,
    defaultFallbacks: [
      ...fallbacks.defaults,
      ...(router.default_fallbacks ?? litellm.default_fallbacks ?? []),
    ],
    enablePreCallChecks: router.enable_pre_call_checks ?? false,
    groupRetryPolicies: {},
    modelGroupAliases: {},
  };
  for (const [alias, target] of Object.entries(router.model_group_alias ?? {})) {
    settings.modelGroupAliases[alias] =
      typeof target === 'string'
        ? { group: target, hidden: false }
        : { group: target.model, hidden: target.hidden ?? false };
  }
  const retryPolicy = countsByErrorClass(router.retry_policy, 'Retries');
  if (retryPolicy !== undefined) settings.retryPolicy = retryPolicy;
  for (const [group, policy] of Object.entries(router.model_group_retry_policy ?? {})) {
    settings.groupRetryPolicies[group] = countsByErrorClass(policy, 'Retries') ?? {};
  }
  const allowedFails = countsByErrorClass(router.allowed_fails_policy, 'AllowedFails');
  if (allowedFails !== undefined) settings.allowedFailsPolicy = allowedFails;
  const timeout = router.timeout ?? litellm.request_timeout;
  if (timeout !== undefined) settings.timeoutMs = timeout * 1000;
  if (router.stream_timeout !== undefined) settings.streamTimeoutMs = router.stream_timeout * 1000;
  if (router.redis_url !== undefined || router.redis_host !== undefined) {
    settings.redis = {};
    if (router.redis_url !== undefined) settings.redis.url = router.redis_url;
    if (router.redis_host !== undefined) settings.redis.host = router.redis_host;
    if (router.redis_port !== undefined) settings.redis.port = router.redis_port;
    if (router.redis_password !== undefined) settings.redis.password = new Secret(router.redis_password);
  }
  return settings;
}

function normalizeGw(raw: RawConfig, issues: ConfigIssue[]): GwSettings {
  const gw = raw.gw_settings ?? {};
  const teams: TeamConfig[] = (gw.teams ?? []).map((team) => ({
    id: team.id,
    models: team.models ?? [],
    ...limits(team),
  }));
  const teamIds = new Set<string>();
  teams.forEach((team, index) => {
    // The authenticator keeps one team per id: a second would silently take over the first's keys.
    if (teamIds.has(team.id)) {
      issues.push({ path: `gw_settings.teams[${index}].id`, message: `team '${team.id}' is defined twice` });
    }
    teamIds.add(team.id);
  });
  const seenKeys: Secret[] = [];
  const virtualKeys: VirtualKeyConfig[] = (gw.virtual_keys ?? []).map((entry, index) => {
    const path = `gw_settings.virtual_keys[${index}]`;
    if (entry.team !== undefined && !teamIds.has(entry.team)) {
      issues.push({
        path: `${path}.team`,
        message: `team '${entry.team}' is not defined in gw_settings.teams`,
      });
    }
    if (seenKeys.some((seen) => seen.equals(entry.key))) {
      issues.push({ path: `${path}.key`, message: 'the same key is listed twice' });
    }
    const key = new Secret(entry.key);
    seenKeys.push(key);
    const virtualKey: VirtualKeyConfig = {
      key,
      alias: entry.alias ?? `key-${index}`,
      models: entry.models ?? [],
      ...limits(entry),
    };
    if (entry.team !== undefined) virtualKey.team = entry.team;
    return virtualKey;
  });
  const settings: GwSettings = {
    virtualKeys,
    teams,
    failurePolicy: gw.failure_policy ?? 'fail-open',
    resumeStreams: gw.resume_streams ?? false,
    metrics: gw.metrics ?? true,
    corsOrigins: gw.cors_origins ?? [],
    bodyLimitBytes: gw.body_limit ?? DEFAULT_BODY_LIMIT_BYTES,
    logLevel: gw.log_level ?? 'info',
    countTokens: gw.count_tokens ?? true,
    redisPrefix: gw.redis_prefix ?? 'gw:',
  };
  if (gw.upstream_connections !== undefined) settings.upstreamConnections = gw.upstream_connections;
  if (gw.upstream_max_queued !== undefined) settings.upstreamMaxQueued = gw.upstream_max_queued;
  return settings;
}

function limits(entry: {
  rpm?: number;
  tpm?: number;
  max_parallel_requests?: number;
  model_rpm_limit?: Record<string, number>;
  model_tpm_limit?: Record<string, number>;
  max_budget?: number;
  budget_duration?: number;
}): Limits {
  const out: Limits = {};
  if (entry.rpm !== undefined) out.rpm = entry.rpm;
  if (entry.tpm !== undefined) out.tpm = entry.tpm;
  if (entry.max_parallel_requests !== undefined) out.maxParallelRequests = entry.max_parallel_requests;
  const modelLimits: Record<string, ModelLimits> = {};
  for (const [group, rpm] of Object.entries(entry.model_rpm_limit ?? {})) modelLimits[group] = { rpm };
  for (const [group, tpm] of Object.entries(entry.model_tpm_limit ?? {})) {
    modelLimits[group] = { ...modelLimits[group], tpm };
  }
  if (Object.keys(modelLimits).length > 0) out.modelLimits = modelLimits;
  if (entry.max_budget !== undefined) {
    out.budget = { maxUsd: entry.max_budget };
    if (entry.budget_duration !== undefined) out.budget.durationMs = entry.budget_duration;
  }
  return out;
}

function checkGroupReferences(
  router: RouterSettings,
  gw: GwSettings,
  groups: Set<string>,
  warnings: string[],
): void {
  const check = (kind: string, map: Record<string, string[]>) => {
    for (const [group, targets] of Object.entries(map)) {
      for (const target of [group, ...targets]) {
        if (!groups.has(target)) warnings.push(`${kind}: model group '${target}' is not in model_list`);
      }
    }
  };
  check('fallbacks', router.fallbacks);
  check('context_window_fallbacks', router.contextWindowFallbacks);
  check('content_policy_fallbacks', router.contentPolicyFallbacks);
  for (const [alias, { group }] of Object.entries(router.modelGroupAliases)) {
    if (!groups.has(group)) {
      warnings.push(
        `router_settings.model_group_alias.${alias}: model group '${group}' is not in model_list`,
      );
    } else if (groups.has(alias)) {
      warnings.push(
        `router_settings.model_group_alias.${alias}: '${alias}' is also a model group; requests for it go to '${group}'`,
      );
    }
  }
  for (const group of Object.keys(router.groupRetryPolicies)) {
    if (!groups.has(group)) {
      warnings.push(`router_settings.model_group_retry_policy: model group '${group}' is not in model_list`);
    }
  }
  const checkModelLimits = (path: string, limits: Limits) => {
    for (const group of Object.keys(limits.modelLimits ?? {})) {
      if (!groups.has(group)) {
        warnings.push(`${path}.model_rpm_limit/model_tpm_limit: model group '${group}' is not in model_list`);
      }
    }
  };
  gw.virtualKeys.forEach((key, index) => {
    for (const model of key.models) {
      if (!groups.has(model)) {
        warnings.push(
          `gw_settings.virtual_keys[${index}].models: model group '${model}' is not in model_list`,
        );
      }
    }
    checkModelLimits(`gw_settings.virtual_keys[${index}]`, key);
  });
  gw.teams.forEach((team, index) => {
    checkModelLimits(`gw_settings.teams[${index}]`, team);
  });
}
