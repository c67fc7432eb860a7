import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGw } from './run-gw.ts';

let directory: string;
const validConfig = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: http://127.0.0.1:9100/v1
      api_key: sk-test
      rpm: 100
  - model_name: gpt-4o
    litellm_params:
      model: azure/gpt-4o-eu
      api_base: https://eu.example.com
      api_key: sk-azure
      api_version: "2024-06-01"
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: sk-ant-secret-value
router_settings:
  num_retries: 2
  fallbacks:
    - gpt-4o: [claude]
litellm_settings:
  some_unknown_flag: true
`;
const invalidConfig = `
model_list:
  - model_name: gpt-4o
    litellm_params: {}
router_settings:
  num_retries: -3
`;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gw-cli-config-'));
  await writeFile(join(directory, 'valid.yaml'), validConfig);
  await writeFile(join(directory, 'invalid.yaml'), invalidConfig);
  await writeFile(join(directory, 'broken.yaml'), 'model_list: [\n  - : :\n');
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('gw config check', () => {
  it('lists model groups, deployments, fallbacks and warnings of a valid config', async () => {
    const result = await runGw(['config', 'check', join(directory, 'valid.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid');
    expect(result.stdout).toContain('Model groups (2)');
    expect(result.stdout).toMatch(/gpt-4o\s+2/);
    expect(result.stdout).toContain('Deployments (3)');
    expect(result.stdout).toContain('fallbacks: gpt-4o -> claude');
    expect(result.stdout).toContain('litellm_settings.some_unknown_flag');
    expect(result.stdout).not.toContain('sk-ant-secret-value');
  });

  it('prints the same facts as JSON with --json', async () => {
    const result = await runGw(['config', 'check', join(directory, 'valid.yaml'), '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.valid).toBe(true);
    expect(summary.modelGroups).toEqual([
      { name: 'gpt-4o', deployments: 2 },
      { name: 'claude', deployments: 1 },
    ]);
    expect(summary.deployments.map((deployment: { provider: string }) => deployment.provider)).toEqual([
      'openai',
      'azure',
      'anthropic',
    ]);
    expect(summary.fallbacks).toEqual({ fallbacks: { 'gpt-4o': ['claude'] } });
    expect(summary.warnings).toHaveLength(1);
  });

  it('fails with exit 2 and the path and reason of every error', async () => {
    const result = await runGw(['config', 'check', join(directory, 'invalid.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a valid config (2 errors)');
    expect(result.stderr).toMatch(/model_list\[0\]\.litellm_params\.model: .+/);
    expect(result.stderr).toMatch(/router_settings\.num_retries: .+/);
  });

  it('reports errors as JSON too, still exiting 2', async () => {
    const result = await runGw(['config', 'check', join(directory, 'invalid.yaml'), '--json']);
    expect(result.code).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary.valid).toBe(false);
    expect(summary.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'model_list[0].litellm_params.model',
      'router_settings.num_retries',
    ]);
  });

  it('fails with exit 2 on YAML that does not parse', async () => {
    const result = await runGw(['config', 'check', join(directory, 'broken.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line');
  });

  it('fails with exit 2 on a missing file', async () => {
    const result = await runGw(['config', 'check', join(directory, 'nope.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Config file not found');
  });
});
