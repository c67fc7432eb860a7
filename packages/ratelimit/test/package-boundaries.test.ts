import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceDirectory = fileURLToPath(new URL('../src', import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

describe('package boundaries', () => {
  it('imports ioredis for its types only, so users without Redis never load it', () => {
    const offenders = sources(sourceDirectory).filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => /from 'ioredis'/.test(line) && !line.startsWith('import type')),
    );
    expect(offenders).toEqual([]);
  });

  it('depends on no other gw package than @gw/errors', () => {
    const imported = new Set(
      sources(sourceDirectory).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '(@gw\/[\w-]+)'/g)].map((match) => match[1]),
      ),
    );
    expect([...imported]).toEqual(['@gw/errors']);
  });
});
