// `--workers N`: a cluster primary that forks N proxy processes sharing one port (and limits through Redis).
import cluster, { type Worker } from 'node:cluster';

export interface WorkersOptions {
  workers: number;
  /** Starts one proxy in a worker process. */
  startWorker: () => Promise<{ close(): Promise<void> }>;
  /** Called in the primary once every worker listens. */
  onReady?: () => void;
  log?: (message: string) => void;
}

export async function runWorkers(options: WorkersOptions): Promise<void> {
  if (cluster.isWorker) {
    const proxy = await options.startWorker();
    process.send?.({ type: 'gw:listening' });
    const stop = () => void proxy.close().then(() => process.exit(0));
    // `on`, not `once`: a worker gets the primary's SIGTERM on top of any signal sent to the whole process group
    // (systemd, a terminal's Ctrl-C), and a second signal with no listener would kill it mid-drain.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  let listening = 0;
  let stopping = false;
  // Workers that listened at least once: only those are replaced when they die.
  const started = new Set<number>();
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: { type?: string }) => {
      if (message?.type !== 'gw:listening') return;
      started.add(worker.id);
      if (++listening === options.workers) options.onReady?.();
    });
  };
  const stopAll = (exitCode = 0) => {
    // A repeated signal must not count the exits twice, and must not kill the primary: its workers exit at once
    // when it dies (cluster's unexpected disconnect), cutting what they are draining.
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
    for (const worker of alive) worker.process.kill('SIGTERM');
    let remaining = alive.length;
    if (remaining === 0) process.exit(exitCode);
    cluster.on('exit', () => {
      if (--remaining === 0) process.exit(exitCode);
    });
  };
  for (let index = 0; index < options.workers; index++) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    if (!started.has(worker.id)) {
      // It failed before listening (an invalid config, a port in use): a new one would fail the same way, and
      // replacing it would fork forever. The worker has said why on stderr.
      options.log?.(`worker ${worker.process.pid} exited with code ${code} before listening; stopping`);
      stopAll(code || 1);
      return;
    }
    started.delete(worker.id);
    options.log?.(`worker ${worker.process.pid} exited with code ${code}; starting a new one`);
    fork();
  });
  process.on('SIGTERM', () => stopAll());
  process.on('SIGINT', () => stopAll());
}
