// Dispatches a request that passed preflight to the handler of its endpoint and dialect.
import type { Exchange } from './exchange.ts';
import { sendError } from './http-reply.ts';
import { answerChat } from './openai-chat.ts';
import type { Route } from './routes.ts';

export function answer(exchange: Exchange, route: Route, configuredModels: string[]): Promise<void> {
  void configuredModels;
  if (route.endpoint === 'chat') return answerChat(exchange);
  return sendError(exchange, { status: 404, errorMessage: `Endpoint ${route.endpoint} is not served yet.` });
}
