// Per-request state the pipeline keeps off the public context: reservations, the call's result, the attempt signal.

import { neverAborts } from '@gw/router';
import type { Logger } from 'pino';
import type { TokenUsage } from '../cost/cost-of.ts';
import type { LimitGrant } from './limit-grant.ts';
import type { GatewayRequest, PipelineContext } from './pipeline-context.ts';
import type { StreamStart } from './stream-relay.ts';

export interface CallResult {
  kind: 'json' | 'stream';
  response?: unknown;
  usage?: TokenUsage;
  start?: StreamStart;
  deploymentGrant?: LimitGrant;
  upstreamMs?: number;
}

/** A symbol key: hooks that spread or serialise the context do not trip over it. */
export const SCRATCH = Symbol('gw.pipeline.scratch');

export interface Scratch {
  grant?: LimitGrant;
  callResult?: CallResult;
  attemptSignal?: AbortSignal;
  /** Removes the listeners of the current stream's linked signal (see stream-signal.ts). */
  unlinkStream?: (() => void) | undefined;
  /** The limits of the deployments a broken stream resumed on, settled with the rest. */
  resumeGrants?: LimitGrant[];
  /** The deployment whose limits were reserved with the caller's (see soleDeployments). */
  preReserved?: string;
  /** Time not spent by the gateway itself: waiting on the upstream (or, for streams, on a slow caller). */
  upstreamMs: number;
}

export type InternalContext = PipelineContext & { [SCRATCH]: Scratch };

export function scratchOf(ctx: PipelineContext): Scratch {
  return (ctx as InternalContext)[SCRATCH];
}

/** A request's context as the first step sees it: everything the steps fill in is still unset. */
export function newContext(request: GatewayRequest, requestId: string, logger: Logger): InternalContext {
  return {
    requestId,
    operation: request.operation,
    headers: request.headers,
    body: request.body,
    request: undefined,
    // The router's own never-aborting signal: it listens on none of it, nor is it linked to an attempt's signal.
    signal: request.signal ?? neverAborts,
    log: logger,
    principal: undefined,
    modelGroup: undefined,
    stream: false,
    promptTokens: undefined,
    deployment: undefined,
    servedGroup: undefined,
    attempts: 0,
    usage: undefined,
    usageCounted: false,
    costUsd: undefined,
    response: undefined,
    responseHeaders: {},
    state: {},
    [SCRATCH]: { upstreamMs: 0 },
  };
}
