import { gwProject } from '../../vitest.shared.ts';

export default gwProject();
