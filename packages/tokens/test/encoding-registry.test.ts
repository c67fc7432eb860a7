import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadEncoding } from '../src/encoding-registry.ts';

const rankModules = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('js-tiktoken'));

describe('encoding registry', () => {
  it('keeps no rank file in the require cache once its table is built', () => {
    const tokenizer = loadEncoding('p50k_base');
    expect(tokenizer.encode('hello world')).toEqual([31373, 995]);
    expect(rankModules().filter((path) => path.includes('p50k_base'))).toEqual([]);
  });

  it('builds each encoding once, whatever the require cache holds', () => {
    expect(loadEncoding('r50k_base')).toBe(loadEncoding('r50k_base'));
  });
});
