// Resolves LiteLLM's `os.environ/NAME` string values against the environment, reporting the ones not set.
import type { ConfigIssue } from './config-error.ts';
import { formatPath } from './config-error.ts';

const PREFIX = 'os.environ/';

export type Env = Readonly<Record<string, string | undefined>>;

/** Returns a deep copy of `value` with every `os.environ/NAME` string replaced by the variable's value. */
export function resolveEnvReferences(value: unknown, env: Env, issues: ConfigIssue[]): unknown {
  return walk(value, env, issues, []);
}

function walk(value: unknown, env: Env, issues: ConfigIssue[], path: PropertyKey[]): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(PREFIX)) return value;
    const name = value.slice(PREFIX.length);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return undefined;
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, env, issues, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, env, issues, [...path, key]);
    return out;
  }
  return value;
}
