// `--workers N`: a cluster primary that forks N proxy processes sharing one port (and limits through Redis).
import cluster from 'node:cluster';

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
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  let listening = 0;
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === 'gw:listening' && ++listening === options.workers) options.onReady?.();
    });
  };
  for (let index = 0; index < options.workers; index++) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    options.log?.(`worker ${worker.process.pid} exited with code ${code}; starting a new one`);
    fork();
  });
  const stopAll = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    let remaining = Object.keys(cluster.workers ?? {}).length;
    if (remaining === 0) process.exit(0);
    cluster.on('exit', () => {
      if (--remaining === 0) process.exit(0);
    });
  };
  process.once('SIGTERM', stopAll);
  process.once('SIGINT', stopAll);
}
