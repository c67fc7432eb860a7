// `gw config check FILE`: validates a gw/LiteLLM config and lists what it defines, or every error with its path.
import { existsSync, statSync } from 'node:fs';
import type { GatewayConfig, LoadedConfig } from '@gw/core';
import { GwError } from '@gw/errors';
import type { Command } from 'commander';
import { CliError, EXIT_USAGE, usageError } from '../cli-error.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';
import { renderTable } from '../text-table.ts';

interface ConfigIssue {
  path: string;
  message: string;
}

export interface ConfigSummary {
  file: string;
  valid: boolean;
  modelGroups: Array<{ name: string; deployments: number }>;
  deployments: Array<{
    id: string;
    modelGroup: string;
    provider: string;
    model: string;
    apiBase?: string;
    rpm?: number;
    tpm?: number;
  }>;
  fallbacks: Record<string, Record<string, string[]>>;
  warnings: string[];
  errors: ConfigIssue[];
}

function summarize(file: string, loaded: LoadedConfig): ConfigSummary {
  const config: GatewayConfig = loaded.config;
  const groups = new Map<string, number>();
  for (const deployment of config.deployments)
    groups.set(deployment.modelName, (groups.get(deployment.modelName) ?? 0) + 1);
  const fallbacks: Record<string, Record<string, string[]>> = {};
  const kinds: Array<[string, Record<string, string[]>]> = [
    ['fallbacks', config.router.fallbacks],
    ['context_window_fallbacks', config.router.contextWindowFallbacks],
    ['content_policy_fallbacks', config.router.contentPolicyFallbacks],
  ];
  for (const [kind, table] of kinds) if (Object.keys(table).length > 0) fallbacks[kind] = table;
  if (config.router.defaultFallbacks.length > 0)
    fallbacks.default_fallbacks = { '*': config.router.defaultFallbacks };
  return {
    file,
    valid: true,
    modelGroups: [...groups].map(([name, deployments]) => ({ name, deployments })),
    deployments: config.deployments.map((deployment) => ({
      id: deployment.id,
      modelGroup: deployment.modelName,
      provider: deployment.provider,
      model: deployment.model,
      ...(deployment.apiBase === undefined ? {} : { apiBase: deployment.apiBase }),
      ...(deployment.rpm === undefined ? {} : { rpm: deployment.rpm }),
      ...(deployment.tpm === undefined ? {} : { tpm: deployment.tpm }),
    })),
    fallbacks,
    warnings: loaded.warnings,
    errors: [],
  };
}

function issuesOf(error: GwError): ConfigIssue[] {
  const issues = error.details?.issues;
  if (Array.isArray(issues) && issues.length > 0) return issues as ConfigIssue[];
  return [{ path: '', message: error.message }];
}

function printSummary(summary: ConfigSummary, io: Io): void {
  const style = createStyle(colourEnabled(io.stdout, io.env));
  const out: string[] = [`${style.green('✔')} ${summary.file} is valid`, ''];
  out.push(style.bold(`Model groups (${summary.modelGroups.length})`));
  out.push(
    renderTable(
      ['group', 'deployments'],
      summary.modelGroups.map((group) => [group.name, String(group.deployments)]),
      ['left', 'right'],
    ),
    '',
  );
  out.push(style.bold(`Deployments (${summary.deployments.length})`));
  out.push(
    renderTable(
      ['id', 'group', 'provider', 'model', 'api base', 'rpm', 'tpm'],
      summary.deployments.map((deployment) => [
        deployment.id,
        deployment.modelGroup,
        deployment.provider,
        deployment.model,
        deployment.apiBase ?? '-',
        deployment.rpm === undefined ? '-' : String(deployment.rpm),
        deployment.tpm === undefined ? '-' : String(deployment.tpm),
      ]),
      ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
    ),
    '',
  );
  const fallbackLines = Object.entries(summary.fallbacks).flatMap(([kind, table]) =>
    Object.entries(table).map(([from, to]) => `  ${kind}: ${from} -> ${to.join(', ')}`),
  );
  out.push(
    style.bold(`Fallbacks (${fallbackLines.length})`),
    ...(fallbackLines.length ? fallbackLines : ['  none']),
    '',
  );
  out.push(style.bold(`Warnings (${summary.warnings.length})`));
  out.push(
    ...(summary.warnings.length
      ? summary.warnings.map((warning) => `  ${style.yellow('!')} ${warning}`)
      : ['  none']),
  );
  io.stdout.write(`${out.join('\n')}\n`);
}

/** The exit-2 error listing every problem of an invalid config with its path. */
export function invalidConfigError(summary: ConfigSummary): CliError {
  const lines = summary.errors.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
  const count = `${summary.errors.length} error${summary.errors.length === 1 ? '' : 's'}`;
  return new CliError({
    code: 'GW_ERR_CONFIG_INVALID',
    message: `${summary.file} is not a valid config (${count}):\n${lines.join('\n')}`,
    exitCode: EXIT_USAGE,
  });
}

export async function checkConfigFile(file: string): Promise<ConfigSummary> {
  if (!existsSync(file)) throw usageError(`Config file not found: ${file}`);
  if (!statSync(file).isFile()) throw usageError(`Not a file: ${file}`);
  // Loaded on demand: @gw/core (zod, yaml) is the slowest import, and `gw --help` should not pay for it.
  const { loadConfig } = await import('@gw/core');
  try {
    return summarize(file, loadConfig({ path: file }));
  } catch (error) {
    if (GwError.isInstance(error)) {
      return {
        file,
        valid: false,
        modelGroups: [],
        deployments: [],
        fallbacks: {},
        warnings: [],
        errors: issuesOf(error),
      };
    }
    throw error;
  }
}

export function registerConfigCommand(program: Command, io: Io): void {
  const config = program.command('config').description('work with gateway config files');
  config
    .command('check')
    .description(
      'validate a gw or LiteLLM config.yaml; list model groups, deployments, fallbacks and warnings',
    )
    .argument('<file>', 'config file (YAML or JSON)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid, 2 missing file or invalid config (every error is listed with its path).',
    )
    .action(async (file: string, options: { json?: boolean }) => {
      const summary = await checkConfigFile(file);
      if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else if (summary.valid) printSummary(summary, io);
      if (!summary.valid) throw invalidConfigError(summary);
    });
}
