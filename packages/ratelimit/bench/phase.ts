// One phase of the ratelimit benchmark, run by index.ts in a process of its own; its result goes back as JSON.
import { reportPhase } from '@gw/bench';
import { heapPer100kKeys } from './heap-per-key.ts';
import { benchMemory } from './memory-throughput.ts';
import { redisMemoryPer100kKeys } from './redis-memory.ts';
import { benchRedis } from './redis-throughput.ts';

export const phases = {
  heap: heapPer100kKeys,
  memory: benchMemory,
  'redis-memory': redisMemoryPer100kKeys,
  redis: benchRedis,
} as const;

export type PhaseName = keyof typeof phases;
export type PhaseResult<Name extends PhaseName> = Awaited<ReturnType<(typeof phases)[Name]>>;

const name = process.argv[2] as PhaseName;
if (!(name in phases)) throw new Error(`Unknown phase "${name}"; one of: ${Object.keys(phases).join(', ')}.`);
reportPhase(await phases[name]());
