// A custom OpenAI-compatible gateway composed from the gw packages: token limits, routing with failover, pooled upstreams.
import { createServer, type Server } from 'node:http';
import { createUpstreamPool } from '@gw/pool';
import { createMemoryStore, createRateLimiter, type Reservation, rateLimitHeaders } from '@gw/ratelimit';
import { createRouter } from '@gw/router';
import { type ChatMessage, countMessages } from '@gw/tokens';
import type { GatewayOptions, Upstream } from './gateway-options.ts';
import { readJson } from './read-json.ts';

export function createGateway(options: GatewayOptions): Server {
  const { modelGroup, upstreams } = options;
  const pool = createUpstreamPool();
  const limiter = createRateLimiter({ store: createMemoryStore() });
  const deployments = upstreams.map(({ id, model, order }) => ({ id, modelGroup, model, order }));
  const router = createRouter({ ...options.router, deployments });
  const upstreamOf = new Map(upstreams.map((upstream) => [upstream.id, upstream]));

  const server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    let reservation: Reservation | undefined;
    // All inside the try: countMessages throws a 400 (TokensError) for a message that is not a chat message, and
    // a throw escaping the handler would be an unhandled rejection, which ends the process.
    try {
      const body = await readJson(request);
      if (!Array.isArray(body?.messages))
        return send(400, { error: { message: 'messages must be an array' } });
      const tokens = countMessages(body.messages as ChatMessage[], deployments[0]?.model ?? 'gpt-4o').tokens;
      const limits = options.limits(request.headers.authorization ?? 'anonymous');
      const reserved = await limiter.reserve(limits, { tokens });
      for (const [name, value] of Object.entries(rateLimitHeaders(reserved.decision)))
        response.setHeader(name, value);
      if (!reserved.decision.allowed)
        return send(429, { error: { message: 'rate limit reached', type: 'rate_limit' } });
      reservation = reserved.reservation;
      const result = await router.execute(
        { modelGroup, promptTokens: tokens },
        async (deployment, context) => {
          const upstream = upstreamOf.get(deployment.id) as Upstream;
          const answer = await pool.request({
            origin: upstream.origin,
            path: '/v1/chat/completions',
            method: 'POST',
            headers: { authorization: `Bearer ${upstream.apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ ...body, model: upstream.model, stream: false }),
            signal: context.signal,
          });
          // The status drives the router's retries, breakers and failover.
          if (answer.status >= 400)
            throw Object.assign(new Error(await answer.text()), { status: answer.status });
          return (await answer.json()) as { usage?: { total_tokens?: number } };
        },
      );
      await reservation?.commit(result.value.usage?.total_tokens ?? tokens);
      response.setHeader('x-gw-deployment', result.deployment.id);
      send(200, result.value);
    } catch (error) {
      await reservation?.release();
      send((error as { status?: number }).status ?? 502, { error: { message: (error as Error).message } });
    }
  });
  server.on('close', () => void Promise.all([pool.close(), router.close()]));
  return server;
}
