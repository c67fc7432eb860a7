// Maps method and path to a dialect, an endpoint and (for Azure) the deployment that stands for the model.
import type { Dialect } from './recorded-request.ts';

export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages';

export interface Route {
  dialect: Dialect;
  endpoint: Endpoint;
  deployment?: string;
  /** GET /v1/models/{id}. */
  modelId?: string;
}

const azurePattern = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;

export function matchRoute(method: string, path: string, anthropicHeaders: boolean): Route | undefined {
  if (method === 'POST') {
    if (path === '/v1/chat/completions') return { dialect: 'openai', endpoint: 'chat' };
    if (path === '/v1/completions') return { dialect: 'openai', endpoint: 'completions' };
    if (path === '/v1/embeddings') return { dialect: 'openai', endpoint: 'embeddings' };
    if (path === '/v1/messages') return { dialect: 'anthropic', endpoint: 'messages' };
    const azure = azurePattern.exec(path);
    if (azure?.[1] !== undefined) {
      const kind = azure[2] === 'chat/completions' ? 'chat' : (azure[2] as Endpoint);
      return { dialect: 'azure', endpoint: kind, deployment: decodeURIComponent(azure[1]) };
    }
    return undefined;
  }
  if (method === 'GET') {
    const dialect: Dialect = anthropicHeaders ? 'anthropic' : 'openai';
    if (path === '/v1/models') return { dialect, endpoint: 'models' };
    if (path.startsWith('/v1/models/')) {
      return { dialect, endpoint: 'models', modelId: decodeURIComponent(path.slice('/v1/models/'.length)) };
    }
  }
  return undefined;
}
