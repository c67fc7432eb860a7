// Loads a LiteLLM config.yaml (plus gw_settings) into a validated GatewayConfig, with warnings for what gw ignores.
import { readFileSync } from 'node:fs';
import { GwError } from '@gw/errors';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { type ConfigIssue, configError, formatPath } from './config-error.ts';
import { type Env, resolveEnvReferences } from './env-references.ts';
import type { GatewayConfig } from './gateway-config.ts';
import { ignoredModelListPaths, normalizeConfig } from './normalize-config.ts';
import { applyProviderEnvironment } from './provider-env-keys.ts';
import { rawConfigSchema } from './raw-config-schema.ts';

export interface ConfigSource {
  /** Path of a YAML (or JSON) file. */
  path?: string;
  /** YAML (or JSON) text. */
  text?: string;
  /** An already-parsed object. */
  object?: unknown;
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** One line per ignored or suspicious setting, naming its path. */
  warnings: string[];
}

export function loadConfig(source: ConfigSource, env: Env = process.env): LoadedConfig {
  const label = source.path ?? (source.text !== undefined ? 'config text' : 'config object');
  const raw = readSource(source, label);
  const sections = dropNullSections(raw, label);

  const environment = environmentWith(sections, env);
  const unsetVariables: ConfigIssue[] = [];
  const resolved = resolveEnvReferences(sections, environment, unsetVariables);

  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  // Settings gw ignores: a variable they name need not be set (LiteLLM's database_url, cache_params...).
  const ignored = ignoredModelListPaths(sections.model_list);
  let parsed = rawConfigSchema.safeParse(resolved);
  if (!parsed.success) {
    const unknownPaths = collectUnknownKeys(parsed.error.issues);
    for (const path of unknownPaths) ignored.push(formatPath(path));
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') continue;
      issues.push({ path: formatPath(issue.path), message: issue.message });
    }
    if (issues.length === 0) {
      for (const path of unknownPaths) warnings.push(`${formatPath(path)}: unknown setting, ignored by gw`);
      parsed = rawConfigSchema.safeParse(withoutPaths(resolved, unknownPaths));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          issues.push({ path: formatPath(issue.path), message: issue.message });
        }
      }
    }
  }
  if (issues.length > 0 || !parsed.success) {
    throw configError(dedupe([...outside(ignored, unsetVariables), ...issues]), label);
  }

  const config = normalizeConfig(parsed.data, warnings, issues);
  applyProviderEnvironment(config.deployments, environment, warnings);
  // Valid, and LiteLLM starts with it too, but a gateway that can route nothing is rarely what was meant.
  if (config.deployments.length === 0)
    warnings.push('model_list: no deployment, so every model is unknown (404)');
  issues.unshift(...outside(ignored, unsetVariables));
  if (issues.length > 0) throw configError(dedupe(issues), label);
  return { config, warnings };
}

function readSource(source: ConfigSource, label: string): unknown {
  if (source.object !== undefined) return source.object;
  let text = source.text;
  if (text === undefined) {
    if (source.path === undefined) {
      throw new GwError({
        code: 'GW_ERR_CONFIG_INVALID',
        message: 'loadConfig needs one of path, text or object.',
        status: 500,
      });
    }
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (error) {
      throw new GwError({
        code: 'GW_ERR_CONFIG_INVALID',
        message: `Cannot read config file ${source.path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`,
        status: 500,
        cause: error,
      });
    }
  }
  try {
    // LiteLLM reads its config with PyYAML, which applies `<<: *anchor` merge keys; YAML 1.2 parsers only on request.
    return parseYaml(text, { merge: true }) ?? {};
  } catch (error) {
    // The YAML library's message quotes the offending line, which may hold a secret: report position only.
    const position =
      error instanceof YAMLParseError && error.linePos
        ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}: ${error.code}`
        : 'not valid YAML';
    throw new GwError({
      code: 'GW_ERR_CONFIG_INVALID',
      message: `Invalid gateway config (${label}): ${position}.`,
      status: 500,
      details: { issues: [{ path: '', message: position }] },
    });
  }
}

/** `general_settings:` with nothing under it parses as null; LiteLLM treats that as empty. */
function dropNullSections(raw: unknown, label: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(
      [{ path: '', message: 'expected a mapping with model_list and settings sections' }],
      label,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== null) out[key] = value;
  return out;
}

/** LiteLLM's `environment_variables` section sets variables before `os.environ/` references are read. */
function environmentWith(sections: Record<string, unknown>, env: Env): Env {
  const declared = sections.environment_variables;
  if (declared === null || typeof declared !== 'object') return env;
  const merged: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(declared)) {
    if (typeof value === 'string' || typeof value === 'number') merged[key] = String(value);
  }
  return merged;
}

function collectUnknownKeys(issues: readonly z.core.$ZodIssue[]): PropertyKey[][] {
  const paths: PropertyKey[][] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) paths.push([...issue.path, key]);
  }
  return paths;
}

function withoutPaths(value: unknown, paths: PropertyKey[][]): unknown {
  const copy = structuredClone(value);
  for (const path of paths) {
    let node: unknown = copy;
    for (const segment of path.slice(0, -1)) node = (node as Record<PropertyKey, unknown>)[segment];
    if (node !== null && typeof node === 'object')
      delete (node as Record<PropertyKey, unknown>)[path.at(-1)!];
  }
  return copy;
}

/** The issues whose path is not within one of the `ignored` paths. */
function outside(ignored: readonly string[], issues: ConfigIssue[]): ConfigIssue[] {
  if (ignored.length === 0) return issues;
  return issues.filter(
    (issue) =>
      !ignored.some(
        (path) =>
          issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`),
      ),
  );
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
