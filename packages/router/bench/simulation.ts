// A virtual-clock simulation: four deployments (steady, slow, flaky, one that goes down), every strategy side by side.
import { percentile } from '@gw/bench';
import { createRouter, type Deployment, type StrategyName, strategyNames } from '../src/index.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { UpstreamError } from '../test/support/upstream-error.ts';
import { VirtualTime } from '../test/support/virtual-time.ts';

interface Behaviour {
  /** Median latency with no queueing, ms. */
  medianMs: number;
  /** Log-normal spread: larger means a heavier tail. */
  sigma: number;
  /** Requests served at once before latency grows with load. */
  capacity: number;
  failureRate: number;
  /** A window [from, to) of virtual seconds during which every call times out. */
  outage?: [number, number];
}

const behaviours: Record<string, Behaviour> = {
  steady: { medianMs: 300, sigma: 0.25, capacity: 16, failureRate: 0 },
  slow: { medianMs: 1_500, sigma: 0.35, capacity: 16, failureRate: 0 },
  flaky: { medianMs: 300, sigma: 0.25, capacity: 16, failureRate: 0.2 },
  outage: { medianMs: 300, sigma: 0.25, capacity: 16, failureRate: 0, outage: [30, 60] },
};

const deployments: Deployment[] = Object.keys(behaviours).map((id) => ({ id, modelGroup: 'gpt' }));
const requestsPerSecond = 40;
const durationSeconds = 120;
const attemptTimeoutMs = 3_000;

export interface SimulationRow {
  strategy: StrategyName;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errorRate: number;
  attemptsPerRequest: number;
  share: Record<string, number>;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export async function simulate(
  strategy: StrategyName,
  seed = 2026,
  seconds = durationSeconds,
): Promise<SimulationRow> {
  const time = new VirtualTime(0);
  const random = seededRandom(seed);
  const upstreamRandom = seededRandom(seed + 1);
  const inFlight = new Map<string, number>();
  const served = new Map<string, number>();
  let attempts = 0;
  const router = createRouter({
    deployments,
    strategy,
    numRetries: 3,
    clock: time.clock,
    timers: time,
    random,
    breaker: { consecutiveFailures: 3, cooldownMs: 5_000 },
    backoff: { baseMs: 50, maxMs: 500 },
  });

  const call = async (deployment: Deployment, signal: AbortSignal): Promise<string> => {
    attempts++;
    const behaviour = behaviours[deployment.id] as Behaviour;
    const load = inFlight.get(deployment.id) ?? 0;
    inFlight.set(deployment.id, load + 1);
    try {
      const seconds = time.now / 1000;
      if (behaviour.outage && seconds >= behaviour.outage[0] && seconds < behaviour.outage[1]) {
        await time.sleep(attemptTimeoutMs, signal);
        throw new UpstreamError({ errorClass: 'timeout' });
      }
      const queueing = 1 + Math.max(0, load + 1 - behaviour.capacity) / behaviour.capacity;
      const latency = behaviour.medianMs * Math.exp(behaviour.sigma * gaussian(upstreamRandom)) * queueing;
      if (upstreamRandom() < behaviour.failureRate) {
        await time.sleep(latency / 4, signal);
        throw new UpstreamError({ status: 503 });
      }
      await time.sleep(Math.min(latency, attemptTimeoutMs), signal);
      if (latency > attemptTimeoutMs) throw new UpstreamError({ errorClass: 'timeout' });
      served.set(deployment.id, (served.get(deployment.id) ?? 0) + 1);
      return deployment.id;
    } finally {
      inFlight.set(deployment.id, (inFlight.get(deployment.id) ?? 1) - 1);
    }
  };

  const latencies: number[] = [];
  let failures = 0;
  const requests: Promise<void>[] = [];
  let arrival = 0;
  const arrivals = seededRandom(seed + 2);
  while (arrival < seconds * 1000) {
    arrival += (-Math.log(Math.max(arrivals(), 1e-12)) / requestsPerSecond) * 1000;
    requests.push(
      new Promise<void>((resolve) => {
        time.setTimeout(() => {
          const started = time.now;
          router
            .execute({ modelGroup: 'gpt', deadlineMs: 30_000 }, (deployment, context) =>
              call(deployment, context.signal),
            )
            .then(
              () => latencies.push(time.now - started),
              () => {
                failures++;
              },
            )
            .finally(resolve);
        }, arrival);
      }),
    );
  }
  await time.run(Promise.all(requests));
  await router.close();
  latencies.sort((left, right) => left - right);
  const total = requests.length;
  const share: Record<string, number> = {};
  for (const id of Object.keys(behaviours)) share[id] = (served.get(id) ?? 0) / Math.max(1, total - failures);
  return {
    strategy,
    requests: total,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errorRate: failures / total,
    attemptsPerRequest: attempts / total,
    share,
  };
}

export async function benchSimulation(): Promise<SimulationRow[]> {
  const rows: SimulationRow[] = [];
  for (const strategy of strategyNames) rows.push(await simulate(strategy));
  const header = [
    'strategy',
    'p50',
    'p99',
    'errors',
    'attempts/req',
    ...Object.keys(behaviours).map((id) => `${id} %`),
  ];
  const body = rows.map((row) => [
    row.strategy,
    `${row.p50Ms.toFixed(0)} ms`,
    `${row.p99Ms.toFixed(0)} ms`,
    `${(row.errorRate * 100).toFixed(2)}%`,
    row.attemptsPerRequest.toFixed(3),
    ...Object.keys(behaviours).map((id) => `${((row.share[id] ?? 0) * 100).toFixed(1)}`),
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map((line) => (line[column] as string).length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number),
      )
      .join('  ');
  console.log(
    `simulation: ${requestsPerSecond} req/s for ${durationSeconds} s of virtual time, 4 deployments ` +
      '(steady 300 ms; slow 1.5 s; flaky 20% 503s; outage: timeouts from 30 s to 60 s), numRetries 3;\n' +
      '"steady" never fails, so every error below is a request that failed while a healthy deployment existed',
  );
  console.log(render(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of body) console.log(render(line));
  console.log('');
  return rows;
}
