import { createRequire } from 'node:module';
import { Pool as EntryPool, buildConnector as entryBuildConnector } from 'undici';
import { describe, expect, it } from 'vitest';
import { buildConnector, Pool } from '../src/undici-parts.ts';

const require = createRequire(import.meta.url);

describe('undici parts', () => {
  it('are the very classes undici exports, loaded from their own modules', () => {
    expect(Pool).toBe(EntryPool);
    expect(buildConnector).toBe(entryBuildConnector);
    // The fallback to the entry would also pass the identity checks; these fail if undici moved the files.
    expect(require('undici/lib/dispatcher/pool.js')).toBe(Pool);
    expect(require('undici/lib/core/connect.js')).toBe(buildConnector);
  });
});
