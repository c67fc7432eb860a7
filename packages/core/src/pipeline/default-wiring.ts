// gw's default provider lookup and request validation, used by createGateway unless the caller passes its own.
import { validateRequest } from '../ingress/validate-request.ts';
import { getProvider } from '../providers/provider-registry.ts';
import type { Provider } from '../types/provider.ts';
import type { Operation } from './pipeline-context.ts';

/** The process-wide registry: gw's providers plus those added with registerProvider. */
export function defaultResolveProvider(name: string): Provider | undefined {
  return getProvider(name);
}

/** zod validation per operation; a failure is a 400 naming the first bad field. */
export function defaultValidate(operation: Operation, body: unknown): unknown {
  return validateRequest(operation, body);
}
