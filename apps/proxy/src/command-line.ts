// The proxy's command line: parses the arguments and runs one server or a cluster of workers until a signal.
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { runWorkers } from './run-workers.ts';
import { startProxy } from './start-proxy.ts';

/** `server`: this process serves requests; `primary`: it only forked the workers that do. */
export type ProcessRole = 'server' | 'primary';

function positiveInteger(name: string, value: string, allowZero = false): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (allowZero ? 0 : 1)) {
    process.stderr.write(
      `gw proxy: --${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${value}"\n`,
    );
    process.exit(2);
  }
  return number;
}

/** Resolves once this process listens (or, as a cluster primary, has forked its workers); exits on bad input. */
export async function runCommandLine(args: string[]): Promise<ProcessRole> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      port: { type: 'string', default: process.env.PORT ?? '4000' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      workers: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const port = positiveInteger('port', values.port, true);
  const workers = positiveInteger('workers', values.workers);
  const options = { port, host: values.host, ...(values.config ? { configPath: values.config } : {}) };
  try {
    if (workers === 1) {
      const proxy = await startProxy(options);
      process.stdout.write(`gw listening on ${proxy.url} serving ${proxy.modelGroups.join(', ')}\n`);
      const stop = () => void proxy.close().then(() => process.exit(0));
      // `on`, not `once`: with no listener left, a second signal (a process-group kill next to a direct one,
      // an impatient supervisor) would kill the process at once and cut the requests it is draining.
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      return 'server';
    }
    await runWorkers({
      workers,
      startWorker: () => startProxy(options),
      onReady: () =>
        process.stdout.write(`gw listening on http://${values.host}:${port} with ${workers} workers\n`),
      log: (message) => process.stderr.write(`${message}\n`),
    });
    return cluster.isWorker ? 'server' : 'primary';
  } catch (error) {
    process.stderr.write(`gw proxy: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
