// Bench child process: the mock upstream on its own event loop, so the load generator does not slow it down.
import { parseArgs } from 'node:util';
import { startMockUpstream } from '@gw/mock-upstream';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
// `gpt-4o-slow`: long streams (40 chunks, 200 ms apart) for the 1,000-concurrent-streams memory probe.
const mock = await startMockUpstream({
  port: Number(values.port),
  // Every loopback address, so gw can reach it as several origins (see the memory probe in index.ts).
  host: '0.0.0.0',
  maxRecordedRequests: 100,
  models: { 'gpt-4o-slow': { chunkDelayMs: 200, chunks: 40 } },
});
process.stdout.write(`listening on http://127.0.0.1:${mock.port}\n`);
process.once('SIGTERM', () => void mock.close().then(() => process.exit(0)));
