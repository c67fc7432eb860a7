// Dispatches a request that passed preflight to the handler of its endpoint and dialect.
import { answerMessages } from './anthropic-messages.ts';
import type { Exchange } from './exchange.ts';
import { answerModels } from './models-list.ts';
import { answerChat } from './openai-chat.ts';
import { answerCompletions } from './openai-completions.ts';
import { answerEmbeddings } from './openai-embeddings.ts';
import type { Route } from './routes.ts';

export function answer(exchange: Exchange, route: Route, configuredModels: string[]): Promise<void> {
  switch (route.endpoint) {
    case 'chat':
      return answerChat(exchange);
    case 'completions':
      return answerCompletions(exchange);
    case 'embeddings':
      return answerEmbeddings(exchange);
    case 'messages':
      return answerMessages(exchange);
    case 'models':
      return answerModels(exchange, configuredModels, route.modelId);
  }
}
