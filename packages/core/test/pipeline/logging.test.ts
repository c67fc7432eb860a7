import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { requestIdFrom } from '../../src/logging/request-id.ts';

describe('requestIdFrom', () => {
  it('keeps a sane x-request-id and replaces an absent or unsafe one', () => {
    expect(requestIdFrom({ 'x-request-id': 'abc-123_x.y:z' })).toBe('abc-123_x.y:z');
    expect(requestIdFrom({})).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom({ 'x-request-id': 'evil\ninjected: line' })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom({ 'x-request-id': 'x'.repeat(500) })).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('createLogger', () => {
  it('redacts credentials in headers and secrets wherever they sit', () => {
    let output = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const logger = createLogger({ destination });
    logger.info(
      {
        headers: { authorization: 'Bearer sk-live-secret-1', 'x-api-key': 'sk-live-secret-2' },
        deployment: { apiKey: 'sk-live-secret-3', key: new Secret('sk-live-secret-4') },
      },
      'incoming',
    );
    expect(output).toContain('incoming');
    for (const secret of ['sk-live-secret-1', 'sk-live-secret-2', 'sk-live-secret-3', 'sk-live-secret-4']) {
      expect(output).not.toContain(secret);
    }
  });
});
