import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { GwError } from '@gw/errors';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { poolOptionsOf } from '../../src/pipeline/create-gateway-from-config.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const SECRET_EU = 'sk-azure-eu-secret-0001';
const SECRET_CA = 'sk-azure-ca-secret-0002';

function catchError(run: () => unknown): GwError {
  try {
    run();
  } catch (error) {
    if (GwError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig with LiteLLM configs from its documentation', () => {
  it('loads the configs.md quick start unchanged', () => {
    const { config, warnings } = loadConfig(
      { path: fixture('litellm-configs-quick-start.yaml') },
      { AZURE_API_KEY_EU: SECRET_EU, AZURE_API_KEY_CA: SECRET_CA },
    );
    const groups = config.deployments.map((deployment) => deployment.modelName);
    expect(groups).toEqual(['gpt-4o', 'bedrock-claude-v1', 'gpt-4o', 'anthropic-claude', 'vllm-models']);
    const [eu, , ca, , vllm] = config.deployments;
    expect(eu).toMatchObject({ provider: 'azure', model: 'gpt-4o-eu', rpm: 6 });
    expect(eu!.apiBase).toBe('https://my-endpoint-europe-berri-992.openai.azure.com/');
    expect(eu!.apiKey!.reveal()).toBe(SECRET_EU);
    expect(ca!.apiKey!.reveal()).toBe(SECRET_CA);
    expect(vllm).toMatchObject({ provider: 'openai', model: 'facebook/opt-125m', rpm: 1440 });
    expect(config.masterKey!.reveal()).toBe('sk-1234');
    expect(config.dropParams).toBe(true);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'litellm_settings.success_callback: unknown setting, ignored by gw',
        'general_settings.alerting: unknown setting, ignored by gw',
        'model_list[3].litellm_params.aws_region_name: unknown setting, ignored by gw',
        "model_list[5]: a wildcard deployment needs a provider and a single '*' in model_name (openai/* serving openai/*), entry ignored",
      ]),
    );
    expect(warnings.some((warning) => warning.includes("provider 'bedrock'"))).toBe(true);
  });

  it('loads a load-balancing config with router, redis and fallback settings', () => {
    const { config } = loadConfig(
      { path: fixture('litellm-load-balancing.yaml') },
      {
        AZURE_API_BASE: 'https://example-resource.openai.azure.com',
        AZURE_API_KEY: 'azure-key-123456',
        OPENAI_API_KEY: 'sk-openai-123456',
        ANTHROPIC_API_KEY: 'sk-ant-123456',
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: '6379',
        REDIS_PASSWORD: 'redis-password-123',
        LITELLM_MASTER_KEY: 'sk-master-123456',
      },
    );
    expect(config.router).toMatchObject({
      routingStrategy: 'usage-based-routing-v2',
      numRetries: 3,
      timeoutMs: 30_000,
      retryAfterMs: 5000,
      allowedFails: 3,
      cooldownTimeMs: 30_000,
      enablePreCallChecks: true,
      fallbacks: { 'gpt-3.5-turbo': ['gpt-4'], 'gpt-4': ['claude-3-5-sonnet'] },
      contextWindowFallbacks: { 'gpt-3.5-turbo': ['claude-3-5-sonnet'] },
    });
    expect(config.router.redis).toMatchObject({ host: '127.0.0.1', port: 6379 });
    expect(config.router.redis!.password!.reveal()).toBe('redis-password-123');
    const [first, second, third, fourth, fifth] = config.deployments;
    expect(first).toMatchObject({
      provider: 'azure',
      model: 'chatgpt-v-2',
      apiVersion: '2023-07-01-preview',
    });
    expect(second).toMatchObject({ tpm: 100000, rpm: 1000 });
    expect(third).toMatchObject({
      provider: 'openai',
      timeoutMs: 300_000,
      streamTimeoutMs: 60_000,
      weight: 2,
    });
    expect(fourth!.info).toMatchObject({
      maxInputTokens: 8192,
      inputCostPerToken: 0.00003,
      outputCostPerToken: 0.00006,
      supports: { function_calling: true },
    });
    expect(fifth).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20240620',
      maxRetries: 2,
    });
    expect(new Set(config.deployments.map((deployment) => deployment.id)).size).toBe(5);
  });

  it('merges `<<: *anchor` keys into the mapping, as LiteLLM (PyYAML) does', () => {
    const { config, warnings } = loadConfig(
      {
        text: [
          'azure_defaults: &azure',
          '  api_base: https://example-resource.openai.azure.com',
          '  api_key: os.environ/AZURE_API_KEY',
          '  api_version: "2024-06-01"',
          '  rpm: 100',
          'model_list:',
          '  - model_name: gpt-4o',
          '    litellm_params:',
          '      <<: *azure',
          '      model: azure/gpt-4o-eu',
          '  - model_name: gpt-4o',
          '    litellm_params:',
          '      <<: *azure',
          '      model: azure/gpt-4o-us',
          '      rpm: 50',
        ].join('\n'),
      },
      { AZURE_API_KEY: 'azure-key-123456' },
    );
    const [eu, us] = config.deployments;
    expect(eu).toMatchObject({ model: 'gpt-4o-eu', apiVersion: '2024-06-01', rpm: 100 });
    expect(eu!.apiBase).toBe('https://example-resource.openai.azure.com');
    expect(eu!.apiKey!.reveal()).toBe('azure-key-123456');
    expect(us).toMatchObject({ model: 'gpt-4o-us', rpm: 50 });
    expect(us!.apiKey!.reveal()).toBe('azure-key-123456');
    expect(warnings).toEqual(['azure_defaults: unknown setting, ignored by gw']);
  });
});

describe("loadConfig: LiteLLM's per-exception policies", () => {
  const base = {
    model_list: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-x' } }],
  };

  it('reads retry_policy, model_group_retry_policy and allowed_fails_policy as error classes', () => {
    const { config, warnings } = loadConfig(
      {
        object: {
          ...base,
          router_settings: {
            retry_policy: {
              BadRequestErrorRetries: 1,
              AuthenticationErrorRetries: 0,
              TimeoutErrorRetries: 4,
              RateLimitErrorRetries: 3,
              ContentPolicyViolationErrorRetries: 2,
              InternalServerErrorRetries: 5,
            },
            model_group_retry_policy: { 'gpt-4o': { RateLimitErrorRetries: 0, TimeoutErrorRetries: null } },
            allowed_fails_policy: {
              RateLimitErrorAllowedFails: 100,
              ContentPolicyViolationErrorAllowedFails: 1000,
            },
          },
        },
      },
      {},
    );
    expect(config.router.retryPolicy).toEqual({
      bad_request: 1,
      auth: 0,
      timeout: 4,
      rate_limit: 3,
      content_policy: 2,
      upstream_5xx: 5,
    });
    expect(config.router.groupRetryPolicies).toEqual({ 'gpt-4o': { rate_limit: 0 } });
    expect(config.router.allowedFailsPolicy).toEqual({ rate_limit: 100, content_policy: 1000 });
    expect(warnings).toEqual([]);
  });

  it('warns about a policy entry gw does not know and a group that is not in model_list', () => {
    const { warnings } = loadConfig(
      {
        object: {
          ...base,
          router_settings: {
            retry_policy: { RateLimitErrorRetries: 1, NotAnErrorRetries: 2 },
            model_group_retry_policy: { 'gpt-5': { RateLimitErrorRetries: 0 } },
          },
        },
      },
      {},
    );
    expect(warnings).toEqual([
      'router_settings.retry_policy.NotAnErrorRetries: unknown setting, ignored by gw',
      "router_settings.model_group_retry_policy: model group 'gpt-5' is not in model_list",
    ]);
  });

  it('refuses a negative count with the path to it', () => {
    const error = catchError(() =>
      loadConfig(
        { object: { ...base, router_settings: { allowed_fails_policy: { TimeoutErrorAllowedFails: -1 } } } },
        {},
      ),
    );
    expect(error.message).toContain('router_settings.allowed_fails_policy.TimeoutErrorAllowedFails');
  });
});

describe('loadConfig: per-model limits of keys and teams', () => {
  it("reads LiteLLM's model_rpm_limit and model_tpm_limit, and warns about a group not in model_list", () => {
    const { config, warnings } = loadConfig(
      {
        object: {
          model_list: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-x' } }],
          gw_settings: {
            teams: [{ id: 'ml', model_tpm_limit: { 'gpt-4o': 100000 } }],
            virtual_keys: [
              {
                key: 'sk-per-model-01',
                team: 'ml',
                model_rpm_limit: { 'gpt-4o': 10, 'gpt-5': 1 },
                model_tpm_limit: { 'gpt-4o': 5000 },
              },
            ],
          },
        },
      },
      {},
    );
    expect(config.gw.virtualKeys[0]!.modelLimits).toEqual({
      'gpt-4o': { rpm: 10, tpm: 5000 },
      'gpt-5': { rpm: 1 },
    });
    expect(config.gw.teams[0]!.modelLimits).toEqual({ 'gpt-4o': { tpm: 100000 } });
    expect(warnings).toEqual([
      "gw_settings.virtual_keys[0].model_rpm_limit/model_tpm_limit: model group 'gpt-5' is not in model_list",
    ]);
  });
});

describe("loadConfig: LiteLLM's wildcard deployments", () => {
  it('keeps a pattern group with a provider and ignores, with a warning, the wildcards it cannot serve', () => {
    const { config, warnings } = loadConfig(
      {
        object: {
          model_list: [
            { model_name: 'openai/*', litellm_params: { model: 'openai/*', api_key: 'sk-x' } },
            { model_name: 'claude-*', litellm_params: { model: 'anthropic/claude-*', api_key: 'sk-y' } },
            { model_name: '*', litellm_params: { model: '*' } },
            { model_name: 'fixed', litellm_params: { model: 'openai/*', api_key: 'sk-x' } },
          ],
        },
      },
      {},
    );
    expect(
      config.deployments.map((deployment) => [deployment.modelName, deployment.provider, deployment.model]),
    ).toEqual([
      ['openai/*', 'openai', '*'],
      ['claude-*', 'anthropic', 'claude-*'],
    ]);
    expect(warnings.filter((warning) => warning.includes('wildcard'))).toEqual([
      "model_list[2]: a wildcard deployment needs a provider and a single '*' in model_name (openai/* serving openai/*), entry ignored",
      "model_list[3]: a wildcard deployment needs a provider and a single '*' in model_name (openai/* serving openai/*), entry ignored",
    ]);
  });
});

describe("loadConfig: LiteLLM's model_group_alias", () => {
  it('reads both forms and warns about a missing target and an alias that shadows a group', () => {
    const { config, warnings } = loadConfig(
      {
        object: {
          model_list: ['gpt-4o', 'mini'].map((name) => ({
            model_name: name,
            litellm_params: { model: `openai/${name}`, api_key: 'sk-x' },
          })),
          router_settings: {
            model_group_alias: {
              'gpt-4': 'gpt-4o',
              old: { model: 'mini', hidden: 'true' },
              mini: 'gpt-4o',
              gone: 'gpt-3',
            },
          },
        },
      },
      {},
    );
    expect(config.router.modelGroupAliases).toEqual({
      'gpt-4': { group: 'gpt-4o', hidden: false },
      old: { group: 'mini', hidden: true },
      mini: { group: 'gpt-4o', hidden: false },
      gone: { group: 'gpt-3', hidden: false },
    });
    expect(warnings).toEqual([
      "router_settings.model_group_alias.mini: 'mini' is also a model group; requests for it go to 'gpt-4o'",
      "router_settings.model_group_alias.gone: model group 'gpt-3' is not in model_list",
    ]);
  });
});

describe('loadConfig: budgets of keys and teams', () => {
  const base = {
    model_list: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-x' } }],
  };

  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['30d', 2_592_000_000],
    ['1w', 604_800_000],
    ['1mo', 2_592_000_000],
  ])("reads LiteLLM's budget_duration %s", (duration, milliseconds) => {
    const { config } = loadConfig(
      {
        object: {
          ...base,
          gw_settings: {
            teams: [{ id: 't', max_budget: '2.5', budget_duration: duration }],
            virtual_keys: [{ key: 'sk-budgeted-01', team: 't', max_budget: 10 }],
          },
        },
      },
      {},
    );
    expect(config.gw.teams[0]!.budget).toEqual({ maxUsd: 2.5, durationMs: milliseconds });
    expect(config.gw.virtualKeys[0]!.budget).toEqual({ maxUsd: 10 });
  });

  it("reads the gateway's own budget and global_max_parallel_requests", () => {
    const { config, warnings } = loadConfig(
      {
        object: {
          ...base,
          litellm_settings: { max_budget: 500, budget_duration: '1mo' },
          general_settings: { global_max_parallel_requests: 64 },
        },
      },
      {},
    );
    expect(config.globalLimits).toEqual({
      maxParallelRequests: 64,
      budget: { maxUsd: 500, durationMs: 2_592_000_000 },
    });
    expect(warnings).toEqual([]);
  });

  it("reads LiteLLM's background_health_checks and their interval, 300 s by default", () => {
    const load = (general: object) =>
      loadConfig({ object: { ...base, general_settings: general } }, {}).config.healthChecks;
    expect(load({ background_health_checks: true, health_check_interval: 60 })).toEqual({
      intervalMs: 60_000,
    });
    expect(load({ background_health_checks: 'True' })).toEqual({ intervalMs: 300_000 });
    expect(load({ background_health_checks: false, health_check_interval: 60 })).toBeUndefined();
  });

  it('refuses a budget_duration it cannot read, naming the forms it takes', () => {
    const error = catchError(() =>
      loadConfig(
        {
          object: {
            ...base,
            gw_settings: {
              virtual_keys: [{ key: 'sk-budgeted-02', max_budget: 1, budget_duration: 'monthly' }],
            },
          },
        },
        {},
      ),
    );
    expect(error.message).toContain('gw_settings.virtual_keys[0].budget_duration');
    expect(error.message).toContain('30s, 30m, 24h, 30d, 1w or 1mo');
  });
});

describe('loadConfig validation', () => {
  it('lists every invalid path and its reason in one GW_ERR_CONFIG_INVALID error', () => {
    const error = catchError(() =>
      loadConfig({
        text: [
          'model_list:',
          '  - model_name: a',
          '    litellm_params: { model: openai/gpt-4o, rpm: lots, api_base: not-a-url }',
          'router_settings:',
          '  routing_strategy: fastest',
          'gw_settings:',
          '  failure_policy: maybe',
        ].join('\n'),
      }),
    );
    expect(error.code).toBe('GW_ERR_CONFIG_INVALID');
    const paths = (error.details!.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'model_list[0].litellm_params.rpm',
        'model_list[0].litellm_params.api_base',
        'router_settings.routing_strategy',
        'gw_settings.failure_policy',
      ]),
    );
    expect(error.message).toContain('model_list[0].litellm_params.rpm');
  });

  it('reports an os.environ reference whose variable is not set', () => {
    const error = catchError(() =>
      loadConfig(
        {
          object: {
            model_list: [
              { model_name: 'a', litellm_params: { model: 'gpt-4o', api_key: 'os.environ/NOPE' } },
            ],
          },
        },
        {},
      ),
    );
    expect(error.message).toContain(
      'model_list[0].litellm_params.api_key: environment variable NOPE is not set',
    );
  });

  it('does not require the variables that only settings gw ignores name', () => {
    const litellmConfig = {
      model_list: [
        {
          model_name: 'gpt-4o',
          litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_KEY' },
        },
        {
          model_name: 'claude',
          litellm_params: {
            model: 'bedrock/anthropic.claude-3-5-sonnet',
            aws_secret_access_key: 'os.environ/AWS_SECRET_ACCESS_KEY',
          },
          model_info: { access_groups: ['os.environ/ACCESS_GROUP'] },
        },
        { model_name: '*', litellm_params: { model: '*', api_key: 'os.environ/WILDCARD_KEY' } },
      ],
      litellm_settings: { cache: true, cache_params: { type: 'redis', host: 'os.environ/REDIS_HOST' } },
      general_settings: { master_key: 'sk-1234', database_url: 'os.environ/DATABASE_URL' },
    };
    const { config, warnings } = loadConfig({ object: litellmConfig }, { OPENAI_KEY: 'sk-openai-123456' });
    expect(config.deployments[0]!.apiKey!.reveal()).toBe('sk-openai-123456');
    expect(warnings).toEqual(
      expect.arrayContaining([
        'general_settings.database_url: unknown setting, ignored by gw',
        'litellm_settings.cache_params: unknown setting, ignored by gw',
        'model_list[1].litellm_params.aws_secret_access_key: unknown setting, ignored by gw',
        'model_list[1].model_info.access_groups: unknown setting, ignored by gw',
        "model_list[2]: a wildcard deployment needs a provider and a single '*' in model_name (openai/* serving openai/*), entry ignored",
      ]),
    );

    const error = catchError(() =>
      loadConfig({ object: { ...litellmConfig, router_settings: { num_retries: 'many' } } }, {}),
    );
    expect(error.details!.issues).toEqual([
      { path: 'model_list[0].litellm_params.api_key', message: 'environment variable OPENAI_KEY is not set' },
      { path: 'router_settings.num_retries', message: expect.any(String) },
    ]);
  });

  it('reads environment_variables before resolving os.environ references', () => {
    const { config } = loadConfig(
      {
        object: {
          environment_variables: { MY_KEY: 'sk-from-config-section' },
          model_list: [
            { model_name: 'a', litellm_params: { model: 'gpt-4o', api_key: 'os.environ/MY_KEY' } },
          ],
        },
      },
      {},
    );
    expect(config.deployments[0]!.apiKey!.reveal()).toBe('sk-from-config-section');
  });

  it('maps OpenAI-compatible provider prefixes to the openai-compatible provider with their base URL', () => {
    const { config } = loadConfig(
      {
        object: {
          model_list: [{ model_name: 'fast', litellm_params: { model: 'groq/llama-3.1-8b-instant' } }],
        },
      },
      {},
    );
    expect(config.deployments[0]).toMatchObject({
      provider: 'openai-compatible',
      model: 'llama-3.1-8b-instant',
      apiBase: 'https://api.groq.com/openai/v1',
    });
  });

  it("takes a provider's key from its LiteLLM environment variable, only for that provider's own host", () => {
    const entry = (model_name: string, litellm_params: Record<string, unknown>) => ({
      model_name,
      litellm_params,
    });
    const { config, warnings } = loadConfig(
      {
        object: {
          model_list: [
            entry('openai', { model: 'openai/gpt-4o' }),
            entry('claude', { model: 'anthropic/claude-sonnet-4-5' }),
            entry('groq', { model: 'groq/llama-3.1-8b-instant' }),
            entry('own-vllm', { model: 'openai/llama', api_base: 'http://10.0.0.5:8000/v1' }),
            entry('azure', { model: 'azure/gpt-4o-deployment' }),
            entry('mistral', { model: 'mistral/mistral-large-latest' }),
          ],
        },
      },
      {
        OPENAI_API_KEY: 'sk-openai-env-01',
        ANTHROPIC_API_KEY: 'sk-ant-env-01',
        GROQ_API_KEY: 'gsk-env-01',
        AZURE_API_KEY: 'azure-env-key-01',
        AZURE_API_BASE: 'https://example-resource.openai.azure.com',
        AZURE_API_VERSION: '2024-10-21',
      },
    );
    const byGroup = new Map(config.deployments.map((deployment) => [deployment.modelName, deployment]));
    expect(byGroup.get('openai')!.apiKey!.reveal()).toBe('sk-openai-env-01');
    expect(byGroup.get('claude')!.apiKey!.reveal()).toBe('sk-ant-env-01');
    expect(byGroup.get('groq')!.apiKey!.reveal()).toBe('gsk-env-01');
    // A server of the user's own behind openai/ never gets the OpenAI key.
    expect(byGroup.get('own-vllm')!.apiKey).toBeUndefined();
    expect(byGroup.get('azure')).toMatchObject({
      apiBase: 'https://example-resource.openai.azure.com',
      apiVersion: '2024-10-21',
    });
    expect(byGroup.get('azure')!.apiKey!.reveal()).toBe('azure-env-key-01');
    expect(byGroup.get('mistral')!.apiKey).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/mistral.*no litellm_params\.api_key and MISTRAL_API_KEY is not set.*401/),
    ]);
  });

  it('warns that an empty config routes nothing, and still loads it', () => {
    const { config, warnings } = loadConfig({ text: '' }, {});
    expect(config.deployments).toEqual([]);
    expect(warnings).toEqual(['model_list: no deployment, so every model is unknown (404)']);
  });

  it('reports a YAML syntax error by position without quoting the line', () => {
    const error = catchError(() =>
      loadConfig({ text: 'general_settings:\n  master_key: "sk-unterminated-secret\n' }),
    );
    expect(error.code).toBe('GW_ERR_CONFIG_INVALID');
    expect(error.message).toMatch(/line \d+/);
    expect(error.message).not.toContain('sk-unterminated-secret');
  });

  it('parses gw_settings virtual keys, teams and server settings', () => {
    const { config, warnings } = loadConfig(
      {
        text: [
          'model_list:',
          '  - model_name: demo',
          '    litellm_params: { model: mock/demo }',
          'gw_settings:',
          '  teams: [{ id: research, rpm: 100, tpm: 50000 }]',
          '  virtual_keys:',
          '    - { key: os.environ/TEAM_KEY, alias: alice, models: [demo, ghost], rpm: 10, team: research }',
          '  failure_policy: fail-closed',
          '  resume_streams: true',
          '  body_limit: 2mb',
          '  redis_prefix: "team-gw:"',
          '  cors_origins: ["https://app.example.com"]',
        ].join('\n'),
      },
      { TEAM_KEY: 'sk-virtual-alice-1' },
    );
    expect(config.gw).toMatchObject({
      failurePolicy: 'fail-closed',
      resumeStreams: true,
      bodyLimitBytes: 2 * 1024 * 1024,
      redisPrefix: 'team-gw:',
      corsOrigins: ['https://app.example.com'],
      teams: [{ id: 'research', rpm: 100, tpm: 50000, models: [] }],
    });
    expect(config.gw.virtualKeys[0]).toMatchObject({
      alias: 'alice',
      models: ['demo', 'ghost'],
      rpm: 10,
      team: 'research',
    });
    expect(config.gw.virtualKeys[0]!.key.reveal()).toBe('sk-virtual-alice-1');
    expect(warnings).toContain(
      "gw_settings.virtual_keys[0].models: model group 'ghost' is not in model_list",
    );
  });

  it('reads the upstream pool limits per origin from gw_settings, and leaves them unset by default', () => {
    const text = (extra: string[]) =>
      ['model_list:', '  - model_name: demo', '    litellm_params: { model: mock/demo }', ...extra].join(
        '\n',
      );
    const { config } = loadConfig({
      text: text(['gw_settings:', '  upstream_connections: 32', '  upstream_max_queued: 0']),
    });
    expect(config.gw.upstreamConnections).toBe(32);
    expect(config.gw.upstreamMaxQueued).toBe(0);
    expect(poolOptionsOf(config)).toEqual({ connections: 32, maxQueued: 0 });
    const defaults = loadConfig({ text: text([]) }).config;
    expect(defaults.gw.upstreamConnections).toBeUndefined();
    expect(poolOptionsOf(defaults)).toEqual({});
  });

  it('rejects upstream pool limits that are not whole numbers in range', () => {
    const base = ['model_list:', '  - model_name: demo', '    litellm_params: { model: mock/demo }'];
    const error = catchError(() =>
      loadConfig({
        text: [...base, 'gw_settings:', '  upstream_connections: 0', '  upstream_max_queued: -1'].join('\n'),
      }),
    );
    expect(error.message).toContain('gw_settings.upstream_connections');
    expect(error.message).toContain('gw_settings.upstream_max_queued');
  });

  it('rejects a virtual key naming an undefined team', () => {
    const error = catchError(() =>
      loadConfig({ object: { gw_settings: { virtual_keys: [{ key: 'sk-abcdefgh', team: 'nobody' }] } } }),
    );
    expect(error.message).toContain("gw_settings.virtual_keys[0].team: team 'nobody' is not defined");
  });

  it('rejects a team id defined twice, whose keys would get only one of the two', () => {
    const error = catchError(() =>
      loadConfig({
        object: {
          gw_settings: {
            teams: [
              { id: 'research', rpm: 100 },
              { id: 'research', rpm: 5000 },
            ],
          },
        },
      }),
    );
    expect(error.message).toContain("gw_settings.teams[1].id: team 'research' is defined twice");
  });
});

describe('secrets in the config', () => {
  const env = {
    AZURE_API_BASE: 'https://example-resource.openai.azure.com',
    AZURE_API_KEY: 'sk-very-secret-azure-key',
    OPENAI_API_KEY: 'sk-very-secret-openai-key',
    ANTHROPIC_API_KEY: 'sk-very-secret-anthropic-key',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: '6379',
    REDIS_PASSWORD: 'very-secret-redis-password',
    LITELLM_MASTER_KEY: 'sk-very-secret-master-key',
  };
  const secrets = [
    env.AZURE_API_KEY,
    env.OPENAI_API_KEY,
    env.ANTHROPIC_API_KEY,
    env.REDIS_PASSWORD,
    env.LITELLM_MASTER_KEY,
  ];

  it('never appear when the loaded config or its warnings are printed', () => {
    const loaded = loadConfig({ path: fixture('litellm-load-balancing.yaml') }, env);
    const printed = [
      JSON.stringify(loaded),
      inspect(loaded, { depth: 20 }),
      String(loaded.config.masterKey),
    ].join('\n');
    for (const secret of secrets) expect(printed).not.toContain(secret);
    expect(printed).toContain('[redacted]');
  });

  it('never appear in a config error, even when the secret sits next to the invalid value', () => {
    const error = catchError(() =>
      loadConfig({
        object: {
          model_list: [
            { model_name: 'a', litellm_params: { model: 'gpt-4o', api_key: 12, rpm: 'sk-secret-in-rpm' } },
          ],
          router_settings: {
            redis_host: 'h',
            redis_password: 'very-secret-redis-password',
            redis_port: 'abc',
          },
          general_settings: { master_key: ['sk-very-secret-master-key'] },
        },
      }),
    );
    const printed = [error.message, JSON.stringify(error.details), inspect(error, { depth: 20 })].join('\n');
    expect(printed).toContain('router_settings.redis_port');
    expect(printed).toContain('general_settings.master_key');
    for (const secret of [...secrets, 'sk-secret-in-rpm']) expect(printed).not.toContain(secret);
  });
});
