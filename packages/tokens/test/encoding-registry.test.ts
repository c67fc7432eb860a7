import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

describe('encoding registry memory', () => {
  it('leaves the rank file unreachable once its table is built', async () => {
    const require = createRequire(import.meta.url);
    const cache = require.cache;
    const path = createRequire(require.resolve('js-tiktoken')).resolve('js-tiktoken/ranks/cl100k_base');
    // Watch the rank file's module arrive in the require cache, holding it only weakly.
    let arrived: WeakRef<object> | undefined;
    let held: NodeJS.Module | undefined;
    Object.defineProperty(cache, path, {
      configurable: true,
      enumerable: true,
      get: () => held,
      set: (module: NodeJS.Module) => {
        arrived = new WeakRef(module);
        held = module;
      },
    });
    loadEncoding('cl100k_base');
    held = undefined;
    expect(arrived).toBeDefined();
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    // WeakRefs keep their target until the current job ends: collect on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(arrived?.deref()).toBeUndefined();
  });
});
