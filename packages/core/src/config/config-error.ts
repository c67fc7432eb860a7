// The one error a bad config produces: every invalid path and its reason, never a value (values may be secrets).
import { GwError } from '@gw/errors';

export interface ConfigIssue {
  path: string;
  message: string;
}

export function configError(issues: ConfigIssue[], source: string): GwError {
  const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
  return new GwError({
    code: 'GW_ERR_CONFIG_INVALID',
    message: `Invalid gateway config (${source}); fix these and restart:\n${lines.join('\n')}`,
    status: 500,
    details: { issues },
  });
}

/** `['model_list', 0, 'litellm_params']` -> `model_list[0].litellm_params`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
