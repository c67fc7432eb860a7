// Shared vitest settings: workspace packages resolve to their TypeScript sources, so tests need no build.
import { defineProject } from 'vitest/config';

export function gwProject(options: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['@gw/source', 'import', 'node', 'default'] },
    ssr: {
      resolve: {
        conditions: ['@gw/source', 'import', 'node', 'default'],
        externalConditions: ['@gw/source'],
      },
    },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      environment: 'node',
    },
  });
}
