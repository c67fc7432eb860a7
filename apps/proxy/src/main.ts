#!/usr/bin/env node
// `node apps/proxy/dist/main.js [--config FILE] [--port N] [--host H] [--workers N]`: the gateway server.
import { parseArgs } from 'node:util';
import { applyHeapGrowth } from './heap-growth.ts';
import { runWorkers } from './run-workers.ts';
import { startProxy } from './start-proxy.ts';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    port: { type: 'string', default: process.env.PORT ?? '4000' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    workers: { type: 'string', default: '1' },
  },
  strict: true,
});

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

applyHeapGrowth();
const port = positiveInteger('port', values.port, true);
const workers = positiveInteger('workers', values.workers);
const options = { port, host: values.host, ...(values.config ? { configPath: values.config } : {}) };

async function startSingle() {
  const proxy = await startProxy(options);
  process.stdout.write(`gw listening on ${proxy.url} serving ${proxy.modelGroups.join(', ')}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  if (workers === 1) await startSingle();
  else
    await runWorkers({
      workers,
      startWorker: () => startProxy(options),
      onReady: () =>
        process.stdout.write(`gw listening on http://${values.host}:${port} with ${workers} workers\n`),
      log: (message) => process.stderr.write(`${message}\n`),
    });
} catch (error) {
  process.stderr.write(`gw proxy: ${(error as Error).message}\n`);
  process.exit(1);
}
