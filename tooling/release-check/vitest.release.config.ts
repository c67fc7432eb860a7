import { gwProject } from '../../vitest.shared.ts';

// The release dry run (build, changeset version and publish to a local registry, npm install): run by
// `pnpm check:packages`, not by `pnpm test`, because it needs every package built and takes minutes.
const base = gwProject({ testTimeout: 600_000 });

export default { ...base, test: { ...base.test, include: ['release/**/*.test.ts'], hookTimeout: 900_000 } };
