// Users' own logic around each pipeline step, as middleware `(next) => (ctx) => ...`, composed once at start-up.
import type { PipelineContext } from './pipeline-context.ts';

export type Step = (ctx: PipelineContext) => Promise<void>;
export type Middleware = (next: Step) => Step;

/** The steps a hook can wrap, in the order a request passes them. */
export const STEP_NAMES = [
  'request',
  'authenticate',
  'validate',
  'countTokens',
  'reserve',
  'route',
  'call',
  'account',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

/**
 * `request` wraps the whole pipeline; `route` wraps routing with its retries and fallbacks; `call` wraps each
 * upstream attempt (after the deployment is chosen: `ctx.deployment` is set); `account` wraps token
 * reconciliation, cost and metrics. A hook runs code before `next(ctx)` and after it, may rewrite `ctx.body`
 * before `validate` or `ctx.request` after it, and may throw a GwError to refuse the request. A hook that sets
 * `ctx.response` answers the request itself: the steps after it are skipped (a cache, say).
 */
export type Hooks = Partial<Record<StepName, Middleware | readonly Middleware[]>>;

/** A step that returns a promise only when it had something to wait for. */
export type MaybeAsyncStep = (ctx: PipelineContext) => Promise<void> | undefined;

/** A step with nothing to wait for: a MaybeAsyncStep that never returns a promise. */
export type SyncStep = (ctx: PipelineContext) => undefined;

/**
 * `withHooks` for a step that waits only sometimes, or never. Without hooks the step is returned as it is, so it
 * stays synchronous: an awaited step costs a request two promises and a turn of the microtask queue, and a request
 * passes several. With hooks, `next` is a `Step` as usual.
 */
export function withHooksMaybeAsync(
  name: StepName,
  step: MaybeAsyncStep,
  hooks: Hooks | undefined,
): MaybeAsyncStep {
  if (hooks?.[name] === undefined) return step;
  return withHooks(name, async (ctx) => step(ctx), hooks);
}

/** Wraps `step` in the hooks for `name`, the first listed outermost. */
export function withHooks(name: StepName, step: Step, hooks: Hooks | undefined): Step {
  const configured = hooks?.[name];
  if (configured === undefined) return step;
  const list: readonly Middleware[] = typeof configured === 'function' ? [configured] : configured;
  let composed = step;
  for (let index = list.length - 1; index >= 0; index--) composed = list[index]!(composed);
  return composed;
}
