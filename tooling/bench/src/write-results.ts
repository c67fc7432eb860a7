// Persists benchmark results as JSON under bench-results/ at the repository root, so runs can be compared.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The nearest ancestor of `start` holding pnpm-workspace.yaml (the monorepo root), else `start` itself. */
export function findRepositoryRoot(start: string = process.cwd()): string {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return start;
    directory = parent;
  }
}

export interface WriteResultsOptions {
  /** Directory to write into; default `<repo root>/bench-results`, or `$GW_BENCH_RESULTS_DIR` when set. */
  directory?: string;
  /** Clock for the file name's timestamp. */
  now?: () => Date;
}

/** Writes `data` to `bench-results/<name>-<timestamp>.json` and returns the file's path. */
export async function writeResults(
  name: string,
  data: unknown,
  options: WriteResultsOptions = {},
): Promise<string> {
  if (!/^[\w.-]+$/.test(name))
    throw new Error(`writeResults(): name must be a plain file name, got "${name}"`);
  const directory =
    options.directory ?? process.env.GW_BENCH_RESULTS_DIR ?? join(findRepositoryRoot(), 'bench-results');
  await mkdir(directory, { recursive: true });
  const timestamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const file = join(directory, `${name}-${timestamp}.json`);
  const payload = { name, writtenAt: new Date().toISOString(), node: process.version, data };
  await writeFile(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}
