// Step `authenticate`: the caller's key (or its absence, when no keys are configured) becomes ctx.principal.
import type { Authenticator } from '../auth/authenticate.ts';
import type { SyncStep } from './hooks.ts';

export function authenticateStep(authenticate: Authenticator): SyncStep {
  return (ctx) => {
    ctx.principal = authenticate(ctx.headers);
  };
}
