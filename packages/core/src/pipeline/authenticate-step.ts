// Step `authenticate`: the caller's key (or its absence, when no keys are configured) becomes ctx.principal.
import type { Authenticator } from '../auth/authenticate.ts';
import type { Step } from './hooks.ts';

export function authenticateStep(authenticate: Authenticator): Step {
  return async (ctx) => {
    ctx.principal = authenticate(ctx.headers);
  };
}
