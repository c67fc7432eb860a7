// Test fixture: a process that applies the young-generation cap, then allocates like a loading gateway and a
// burst of requests, and prints the young generation's size (MB) after each phase.
import { getHeapSpaceStatistics } from 'node:v8';
import { capYoungGeneration } from '../src/young-generation.ts';

const megabytes = () =>
  (getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0) / 1024 / 1024;

/** Keeps a rolling window of objects alive, so much of what is allocated survives a scavenge or two. */
function allocateSurvivors(count: number, window: number): void {
  let kept: object[] = [];
  for (let index = 0; index < count; index++) {
    kept.push({ index, text: `item ${index}` });
    if (kept.length > window) kept = [];
  }
}

const cap = capYoungGeneration();
allocateSurvivors(2_000_000, 300_000); // loading: one long synchronous stretch
const loaded = megabytes();
cap?.watch();
const watched = megabytes();
// A burst: many tasks in a row, each keeping what it made for a while.
for (let task = 0; task < 20; task++) {
  allocateSurvivors(200_000, 150_000);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify({ loaded, watched, burst: megabytes() })}\n`);
