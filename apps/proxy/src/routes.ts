// The proxy's route table: maps a method and path to a gateway operation or a server endpoint.

export type GatewayOperation = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'count_tokens';
export type ServerEndpoint = 'health' | 'liveliness' | 'readiness' | 'metrics' | 'model';
export type Protocol = 'openai' | 'anthropic';

export type Route =
  | { kind: 'gateway'; operation: GatewayOperation; method: 'GET' | 'POST'; protocol: Protocol }
  | { kind: 'server'; endpoint: ServerEndpoint; method: 'GET'; protocol: Protocol; modelId?: string };

export type RouteMatch =
  | { found: true; route: Route }
  | { found: false; status: 404 | 405; allow?: string; protocol: Protocol };

function gatewayRoute(
  operation: GatewayOperation,
  method: 'GET' | 'POST',
  protocol: Protocol = 'openai',
): Route {
  return { kind: 'gateway', operation, method, protocol };
}

function serverRoute(endpoint: ServerEndpoint): Route {
  return { kind: 'server', endpoint, method: 'GET', protocol: 'openai' };
}

// LiteLLM serves every OpenAI route with and without the /v1 prefix; clients rely on both.
const versioned: Record<string, Route> = {
  '/chat/completions': gatewayRoute('chat', 'POST'),
  '/completions': gatewayRoute('completions', 'POST'),
  '/embeddings': gatewayRoute('embeddings', 'POST'),
  '/models': gatewayRoute('models', 'GET'),
  '/messages': gatewayRoute('messages', 'POST', 'anthropic'),
  '/messages/count_tokens': gatewayRoute('count_tokens', 'POST', 'anthropic'),
};

const unversioned: Record<string, Route> = {
  '/health': serverRoute('health'),
  '/health/liveliness': serverRoute('liveliness'),
  '/health/liveness': serverRoute('liveliness'),
  '/health/readiness': serverRoute('readiness'),
  '/metrics': serverRoute('metrics'),
};

const table = new Map<string, Route>();
for (const [path, route] of Object.entries(versioned)) {
  table.set(path, route);
  table.set(`/v1${path}`, route);
}
for (const [path, route] of Object.entries(unversioned)) table.set(path, route);

/** The protocol errors for a path are written in, even when the path is unknown. */
export function protocolOf(pathname: string): Protocol {
  return pathname.includes('/messages') ? 'anthropic' : 'openai';
}

/** `GET /v1/models/{id}` (OpenAI's models.retrieve), the id percent-decoded: a group name may hold a slash. */
function modelRoute(pathname: string): Route | undefined {
  const prefix = pathname.startsWith('/v1/models/') ? '/v1/models/' : '/models/';
  if (!pathname.startsWith(prefix) || pathname.length === prefix.length) return undefined;
  let modelId: string;
  try {
    modelId = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
  return { kind: 'server', endpoint: 'model', method: 'GET', protocol: 'openai', modelId };
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  const normalized = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const route = table.get(normalized) ?? modelRoute(normalized);
  if (route === undefined) return { found: false, status: 404, protocol: protocolOf(normalized) };
  if (method === route.method || (method === 'HEAD' && route.method === 'GET')) return { found: true, route };
  // RFC 9110: Allow lists every method the resource serves, and a GET resource serves HEAD as well.
  return {
    found: false,
    status: 405,
    allow: route.method === 'GET' ? 'GET, HEAD' : route.method,
    protocol: route.protocol,
  };
}
