// The request one deployment is sent: the caller's, with the deployment's default params where the caller set none.
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { CanonicalRequest } from './seams.ts';

/** Copies the request only when a default applies, so the common case allocates nothing. */
export function upstreamRequest(request: CanonicalRequest, deployment: DeploymentConfig): CanonicalRequest {
  const defaults = deployment.defaultParams;
  let merged = request;
  for (const key in defaults) {
    if (merged[key] === undefined) {
      if (merged === request) merged = { ...request };
      merged[key] = defaults[key];
    }
  }
  return merged;
}
