// Builds a gateway core over the fake seams with an in-memory limiter store, for pipeline specifications.
import { createMemoryStore, type Store } from '@gw/ratelimit';
import pino from 'pino';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createGatewayCore, type Gateway } from '../../../src/pipeline/create-gateway.ts';
import type { Hooks } from '../../../src/pipeline/hooks.ts';
import type { Operation } from '../../../src/pipeline/pipeline-context.ts';
import type { IngressProtocol } from '../../../src/pipeline/seams.ts';
import { createStoreLimits } from '../../../src/pipeline/store-limits.ts';
import { openAiLikeProtocol, type ScriptedUpstream } from './fake-seams.ts';

export function harness(options: {
  config: unknown;
  upstream: ScriptedUpstream;
  hooks?: Hooks;
  clock?: () => number;
  logLines?: string[];
  /** A limiter store shared with other gateways (as replicas share Redis); a fresh memory store by default. */
  store?: Store;
}): Gateway {
  const { config } = loadConfig({ object: options.config }, {});
  const store =
    options.store ?? createMemoryStore(options.clock === undefined ? {} : { clock: options.clock });
  const lines = options.logLines;
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines?.push(line) });
  const protocols = Object.fromEntries(
    (['chat', 'completions', 'embeddings', 'models', 'messages', 'count_tokens'] as Operation[]).map(
      (operation) => [operation, openAiLikeProtocol],
    ),
  ) as Record<Operation, IngressProtocol>;
  return createGatewayCore({
    config,
    logger,
    // Retries and backoff go on at once: tests never wait on the wall clock.
    routerOptions: { sleep: () => Promise.resolve() },
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    parts: {
      protocols,
      upstream: options.upstream,
      limits: createStoreLimits({ store, global: config.globalLimits }),
      countPromptTokens: (request) => JSON.stringify(request.messages ?? request.input ?? '').length,
      countText: (text) => text.split(/\s+/).filter(Boolean).length,
    },
  });
}

export const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
