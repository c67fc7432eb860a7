// The request one deployment is sent: the caller's, with the deployment's default params where the caller set none.
import { copyWith } from '../collections/copy-with.ts';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { CanonicalRequest } from './seams.ts';

/**
 * The two names of the output budget are one setting: OpenAI refuses a request with both ("Setting 'max_tokens'
 * and 'max_completion_tokens' at the same time is not supported"), and Anthropic would take the default over the
 * caller's own limit.
 */
const SAME_SETTING: Readonly<Record<string, string>> = {
  max_tokens: 'max_completion_tokens',
  max_completion_tokens: 'max_tokens',
};

/** Copies the request only when a default applies, so the common case allocates nothing. */
export function upstreamRequest(request: CanonicalRequest, deployment: DeploymentConfig): CanonicalRequest {
  const defaults = deployment.defaultParams;
  let missing: Record<string, unknown> | undefined;
  for (const key in defaults) {
    if (request[key] !== undefined) continue;
    const other = SAME_SETTING[key];
    if (other !== undefined && request[other] !== undefined && request[other] !== null) continue;
    missing ??= {};
    missing[key] = defaults[key];
  }
  return missing === undefined ? request : copyWith(request, missing);
}
