import { describe, expect, it } from 'vitest';
import { matchRoute } from '../src/routes.ts';

describe('matchRoute: one model group (GET /v1/models/{id})', () => {
  it('takes the id after the prefix, percent-decoded, so a group name may hold a slash', () => {
    expect(matchRoute('GET', '/v1/models/azure%2Fgpt-4o')).toEqual({
      found: true,
      route: {
        kind: 'server',
        endpoint: 'model',
        method: 'GET',
        protocol: 'openai',
        modelId: 'azure/gpt-4o',
      },
    });
    expect(matchRoute('GET', '/models/gpt-4o')).toMatchObject({ found: true, route: { modelId: 'gpt-4o' } });
  });

  it('keeps the models list on the bare path, with or without a trailing slash', () => {
    expect(matchRoute('GET', '/v1/models/')).toMatchObject({ found: true, route: { operation: 'models' } });
  });

  it('is not found for an id that is not valid percent-encoding', () => {
    expect(matchRoute('GET', '/v1/models/%E0%A4%A')).toMatchObject({ found: false, status: 404 });
  });

  it('allows only GET and HEAD, and says both in Allow', () => {
    expect(matchRoute('HEAD', '/v1/models/gpt-4o')).toMatchObject({ found: true });
    expect(matchRoute('POST', '/v1/models/gpt-4o')).toEqual({
      found: false,
      status: 405,
      allow: 'GET, HEAD',
      protocol: 'openai',
    });
  });
});
