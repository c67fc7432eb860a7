import { loadedEncodings } from '@gw/tokens';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { createGateway } from '../../src/pipeline/create-gateway-from-config.ts';

const logger = pino({ level: 'silent' });

function config(countTokens: boolean, models: Record<string, string>) {
  return loadConfig(
    {
      object: {
        model_list: Object.entries(models).map(([group, model]) => ({
          model_name: group,
          litellm_params: { model, api_base: 'http://127.0.0.1:9/v1', api_key: 'sk-x-123456' },
        })),
        gw_settings: { count_tokens: countTokens },
      },
    },
    {},
  ).config;
}

// Each test file runs in a fresh module registry, so the legacy encodings below are built here or not at all.
describe('encodings for token counting', () => {
  it('are not built for a gateway that does not count tokens', async () => {
    const before = loadedEncodings();
    const gateway = createGateway({ config: config(false, { legacy: 'openai/text-davinci-003' }), logger });
    expect(loadedEncodings()).toEqual(before);
    expect(before).not.toContain('p50k_base');
    await gateway.close();
  });

  it("are built when the gateway is created, one per encoding of the groups' models, before any request", async () => {
    const before = loadedEncodings();
    expect(before).not.toContain('p50k_base');
    expect(before).not.toContain('r50k_base');
    const gateway = createGateway({
      config: config(true, {
        legacy: 'openai/text-davinci-003',
        'legacy-code': 'openai/code-davinci-002',
        older: 'openai/text-curie-001',
      }),
      logger,
    });
    expect(loadedEncodings()).toEqual([...before, 'p50k_base', 'r50k_base']);
    await gateway.close();
  });
});
