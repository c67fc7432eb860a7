import { gwProject } from '../../vitest.shared.ts';

// Packing and installing with npm takes tens of seconds on a shared machine; each step has its own hard timeout.
export default gwProject({ testTimeout: 300_000 });
