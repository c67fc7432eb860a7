import { GwError } from '@gw/errors';
import { describe, expect, it } from 'vitest';
import { assertModelAllowed, createAuthenticator } from '../../src/auth/authenticate.ts';
import { loadConfig } from '../../src/config/load-config.ts';

const { config } = loadConfig({
  object: {
    model_list: [
      { model_name: 'a', litellm_params: { model: 'mock/a' } },
      { model_name: 'b', litellm_params: { model: 'mock/b' } },
      { model_name: 'c', litellm_params: { model: 'mock/c' } },
    ],
    general_settings: { master_key: 'sk-master-0000' },
    gw_settings: {
      teams: [{ id: 'research', models: ['a', 'b'], rpm: 50 }],
      virtual_keys: [
        { key: 'sk-alice-00000', alias: 'alice', models: ['a'], rpm: 5, team: 'research' },
        { key: 'sk-bob-0000000', alias: 'bob', team: 'research', max_parallel_requests: 2 },
        { key: 'sk-carol-00000', alias: 'carol' },
      ],
    },
  },
});
const authenticate = createAuthenticator(config);

function rejection(run: () => unknown): GwError {
  try {
    run();
  } catch (error) {
    if (GwError.isInstance(error)) return error;
  }
  throw new Error('expected a GwError');
}

describe('createAuthenticator', () => {
  it('accepts the master key as a Bearer token or in x-api-key', () => {
    expect(authenticate({ authorization: 'Bearer sk-master-0000' }).kind).toBe('master');
    expect(authenticate({ 'x-api-key': 'sk-master-0000' }).kind).toBe('master');
  });

  it('accepts a virtual key and carries its limits and team', () => {
    const alice = authenticate({ authorization: 'bearer sk-alice-00000' });
    expect(alice).toMatchObject({ kind: 'virtual', name: 'alice', keyLimits: { rpm: 5 } });
    expect(alice.team?.id).toBe('research');
    expect(authenticate({ 'x-api-key': 'sk-bob-0000000' }).keyLimits).toEqual({ maxParallelRequests: 2 });
  });

  it('rejects a missing or wrong key with 401 and never echoes the key', () => {
    expect(rejection(() => authenticate({})).status).toBe(401);
    const wrong = rejection(() => authenticate({ authorization: 'Bearer sk-guess-12345' }));
    expect(wrong.code).toBe('GW_ERR_UNAUTHORIZED');
    expect(wrong.message).not.toContain('sk-guess-12345');
  });

  it('lets anyone in when no master key and no virtual keys are configured', () => {
    const open = createAuthenticator(loadConfig({ object: { model_list: [] } }).config);
    expect(open({}).kind).toBe('anonymous');
  });
});

describe('assertModelAllowed', () => {
  it('limits a key to its models narrowed by its team', () => {
    const alice = authenticate({ authorization: 'Bearer sk-alice-00000' });
    expect(() => assertModelAllowed(alice, 'a')).not.toThrow();
    expect(rejection(() => assertModelAllowed(alice, 'b')).status).toBe(403);
    const bob = authenticate({ authorization: 'Bearer sk-bob-0000000' });
    expect(() => assertModelAllowed(bob, 'b')).not.toThrow();
    expect(rejection(() => assertModelAllowed(bob, 'c')).code).toBe('GW_ERR_MODEL_NOT_ALLOWED');
  });

  it('lets the master key and unrestricted keys use every group', () => {
    expect(() => assertModelAllowed(authenticate({ 'x-api-key': 'sk-master-0000' }), 'c')).not.toThrow();
    expect(() => assertModelAllowed(authenticate({ 'x-api-key': 'sk-carol-00000' }), 'c')).not.toThrow();
  });
});
