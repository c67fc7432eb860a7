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

/** A path segment percent-decoded; undefined when its escapes are malformed (an unknown route, not a crash). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const azurePattern = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;

export function matchRoute(method: string, path: string, anthropicHeaders: boolean): Route | undefined {
  if (method === 'POST') {
    if (path === '/v1/chat/completions') return { dialect: 'openai', endpoint: 'chat' };
    if (path === '/v1/completions') return { dialect: 'openai', endpoint: 'completions' };
    if (path === '/v1/embeddings') return { dialect: 'openai', endpoint: 'embeddings' };
    if (path === '/v1/messages') return { dialect: 'anthropic', endpoint: 'messages' };
    const azure = azurePattern.exec(path);
    const deployment = azure?.[1] === undefined ? undefined : decodeSegment(azure[1]);
    if (azure !== null && deployment !== undefined) {
      const kind = azure[2] === 'chat/completions' ? 'chat' : (azure[2] as Endpoint);
      return { dialect: 'azure', endpoint: kind, deployment };
    }
    return undefined;
  }
  if (method === 'GET') {
    const dialect: Dialect = anthropicHeaders ? 'anthropic' : 'openai';
    if (path === '/v1/models') return { dialect, endpoint: 'models' };
    if (path.startsWith('/v1/models/')) {
      const modelId = decodeSegment(path.slice('/v1/models/'.length));
      return modelId === undefined ? undefined : { dialect, endpoint: 'models', modelId };
    }
  }
  return undefined;
}
