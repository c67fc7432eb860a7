// The request one deployment is sent: the caller's, with the deployment's default params where the caller set none.
import { copyWith } from '../collections/copy-with.ts';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { CanonicalRequest } from './seams.ts';

/** Copies the request only when a default applies, so the common case allocates nothing. */
export function upstreamRequest(request: CanonicalRequest, deployment: DeploymentConfig): CanonicalRequest {
  const defaults = deployment.defaultParams;
  let missing: Record<string, unknown> | undefined;
  for (const key in defaults) {
    if (request[key] === undefined) {
      missing ??= {};
      missing[key] = defaults[key];
    }
  }
  return missing === undefined ? request : copyWith(request, missing);
}
