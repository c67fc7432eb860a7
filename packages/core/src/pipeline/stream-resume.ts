// Continues a stream that broke after bytes reached the caller on another deployment, without repeating text.
import { GwError } from '@gw/errors';
import type { Router } from '@gw/router';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { GatewayLimits } from './limit-grant.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import type { CanonicalRequest, UpstreamCaller } from './seams.ts';
import { estimateTokens } from './settle-limits.ts';
import { textOf } from './stream-relay.ts';
import { streamSignal } from './stream-signal.ts';

export interface ResumeOptions {
  ctx: PipelineContext;
  router: Router;
  upstream: UpstreamCaller;
  deployments: ReadonlyMap<string, DeploymentConfig>;
  /** The deployment's own rpm/tpm hold the resumed call, as they hold any call routed to it. */
  limits: GatewayLimits;
  /** Every deployment that broke this stream so far, the last one included. */
  brokenDeploymentIds: readonly string[];
}

/**
 * With an assistant prefill where the new deployment supports it (it continues after the sent text), else by
 * restarting and dropping the already-sent prefix, only when the new answer begins with exactly that text.
 */
export async function resumeStream(
  options: ResumeOptions,
  sentText: string,
): Promise<AsyncIterator<unknown>> {
  const { ctx, router, upstream } = options;
  const request = ctx.request!;
  const result = await router.execute(
    {
      modelGroup: ctx.servedGroup ?? ctx.modelGroup!,
      stream: true,
      signal: ctx.signal,
      // No deployment that broke this stream continues it: excluding only the last one let two failing
      // deployments take turns for as long as their breakers stayed closed.
      exclude: options.brokenDeploymentIds,
    },
    async (routed, attempt) => {
      const deployment = options.deployments.get(routed.id)!;
      // A refusal here is a rate_limit error: the router moves on to another deployment.
      const grant = await options.limits.reserveDeployment(deployment, estimateTokens(ctx));
      const prefill = sentText !== '' && upstream.supportsPrefill(deployment);
      let chunks: AsyncIterator<unknown>;
      try {
        const opened = await upstream.stream(
          deployment,
          prefill ? withPrefill(request, sentText) : request,
          // Like the first stream's: it outlives this attempt, so it follows the caller too.
          streamSignal(ctx, attempt.signal),
          ctx.operation,
          ctx.requestId,
        );
        chunks = prefill ? opened.chunks : await skipPrefix(opened.chunks, sentText);
      } catch (error) {
        // The attempt counts against the deployment's requests per minute, as a failed routed call does.
        grant?.commit(0);
        throw error;
      }
      if (grant !== undefined) {
        const scratch = scratchOf(ctx);
        scratch.resumeGrants ??= [];
        scratch.resumeGrants.push(grant);
      }
      attempt.markFirstByte();
      return { deployment, chunks };
    },
  );
  ctx.deployment = result.value.deployment;
  ctx.attempts += result.attempts;
  return result.value.chunks;
}

function withPrefill(request: CanonicalRequest, sentText: string): CanonicalRequest {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  return { ...request, messages: [...messages, { role: 'assistant', content: sentText }] };
}

/** Reads the restarted answer until it covers `sentText`; yields only what follows it. */
async function skipPrefix(chunks: AsyncIterator<unknown>, sentText: string): Promise<AsyncIterator<unknown>> {
  let seen = '';
  let lastChunk: unknown;
  while (seen.length < sentText.length) {
    const next = await chunks.next();
    if (next.done) break;
    seen += textOf(next.value);
    lastChunk = next.value;
    if (!sentText.startsWith(seen.slice(0, sentText.length))) break;
  }
  if (!seen.startsWith(sentText)) {
    await chunks.return?.();
    throw new GwError({
      code: 'GW_ERR_STREAM_RESUME_DIVERGED',
      message: 'The restarted answer does not begin with the text already sent; it cannot be resumed.',
      status: 502,
    });
  }
  const remainder = seen.slice(sentText.length);
  async function* rest() {
    if (remainder !== '') yield withContent(lastChunk, remainder);
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return rest();
}

function withContent(chunk: unknown, content: string): unknown {
  const source = chunk as { choices?: { delta?: Record<string, unknown> }[] };
  const choice = source.choices?.[0] ?? {};
  return { ...source, choices: [{ ...choice, delta: { ...(choice.delta ?? {}), content } }] };
}
