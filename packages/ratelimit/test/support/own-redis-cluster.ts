// A test-owned three-master Redis Cluster of local redis-server processes, created with redis-cli --cluster.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface OwnRedisCluster {
  ports: number[];
  /** A cluster client with auto-pipelining, as a gateway would open it. */
  connect(): Cluster;
  /** Keys under a prefix held by each master, in port order. */
  keysPerNode(prefix: string): Promise<number[]>;
  stop(): Promise<void>;
}

// Cluster bus ports are port + 10000, so pick client ports that leave room for them.
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 < 65_536) return port;
  }
}

function startNode(port: number, directory: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `nodes-${port}.conf`,
      '--dir',
      directory,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

async function waitForClusterOk(port: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: false });
  try {
    // Slot assignment propagates over the cluster bus; poll the node's own view until it reports ok.
    for (;;) {
      const info = await client.cluster('INFO');
      if (String(info).includes('cluster_state:ok')) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.disconnect();
  }
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const directory = await mkdtemp(join(tmpdir(), 'gw-redis-cluster-'));
  const ports = [await clusterPort(), await clusterPort(), await clusterPort()];
  const children: ChildProcess[] = [];
  const clients: (Cluster | Redis)[] = [];
  try {
    for (const port of ports) children.push(await startNode(port, directory));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await waitForClusterOk(port);
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    ports,
    connect() {
      const cluster = new Cluster(
        ports.map((port) => ({ host: '127.0.0.1', port })),
        { enableAutoPipelining: true },
      );
      clients.push(cluster);
      return cluster;
    },
    async keysPerNode(prefix) {
      const counts: number[] = [];
      for (const port of ports) {
        const node = new Redis({ host: '127.0.0.1', port });
        counts.push((await node.keys(`${prefix}*`)).length);
        node.disconnect();
      }
      return counts;
    },
    async stop() {
      for (const client of clients) client.disconnect();
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        }),
      );
      await rm(directory, { recursive: true, force: true });
    },
  };
}
