// Builds routers on virtual time and records which deployments each call tried.
import { createRouter, type Deployment, type Router, type RouterOptions } from '../../src/index.ts';
import { seededRandom } from './seeded-random.ts';
import { VirtualTime } from './virtual-time.ts';

export interface Harness {
  router: Router;
  time: VirtualTime;
  /** Deployment ids in the order attempts reached them. */
  tried: string[];
  /** Virtual times at which attempts started. */
  startedAt: number[];
}

export function harness(
  deployments: Deployment[],
  options: Partial<RouterOptions> = {},
): Harness & { track: (deployment: Deployment) => void } {
  const time = new VirtualTime();
  const tried: string[] = [];
  const startedAt: number[] = [];
  const router = createRouter({
    deployments,
    clock: time.clock,
    timers: time,
    random: seededRandom(42),
    ...options,
  });
  return {
    router,
    time,
    tried,
    startedAt,
    track(deployment) {
      tried.push(deployment.id);
      startedAt.push(time.now);
    },
  };
}

export function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
