import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gwBinary, runGw } from './run-gw.ts';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gw-cli-serve-'));
  await writeFile(
    join(directory, 'invalid.yaml'),
    'model_list:\n  - model_name: x\n    litellm_params: {}\n',
  );
  await writeFile(
    join(directory, 'debug-log.yaml'),
    'model_list:\n  - model_name: demo\n    litellm_params: {model: mock/demo}\ngw_settings:\n  log_level: debug\n',
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('gw serve (argument and config errors)', () => {
  it('exits 2 on a missing config file', async () => {
    const result = await runGw(['serve', '--config', join(directory, 'nope.yaml'), '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Config file not found');
  });

  it('exits 2 listing every error of an invalid config', async () => {
    const result = await runGw(['serve', '--config', join(directory, 'invalid.yaml'), '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model_list\[0\]\.litellm_params\.model: .+/);
  });

  it('exits 2 naming the choices for an unknown --log-level', async () => {
    const result = await runGw(['serve', '--port', '0', '--log-level', 'verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are trace, debug, info, warn, error, fatal, silent');
  });

  it('exits 2 on a port out of range', async () => {
    const result = await runGw(['serve', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a port number');
  });
});

interface Serving {
  url: string;
  stdout: string;
  exited: Promise<number | null>;
  stop(): void;
}

const singleBanner = /gw listening on (http:\/\/\S+)[\s\S]*model groups: .*\n/;
const workersBanner = /gw listening on (http:\/\/\S+) with \d+ workers\nconfig: .*\n/;

/**
 * Starts `gw serve` with the given arguments (and `--log-level silent` unless `logLevel` says otherwise) and
 * resolves once the whole banner matching `banner` is out.
 */
async function serve(
  args: string[],
  banner = singleBanner,
  logLevel: string[] = ['--log-level', 'silent'],
): Promise<Serving> {
  const child = spawn(process.execPath, [gwBinary, 'serve', ...args, ...logLevel], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = banner.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`gw serve exited (${code}) before listening: ${stderr}`)));
  });
  return {
    url,
    get stdout() {
      return stdout;
    },
    exited,
    stop: () => child.kill('SIGTERM'),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return address.port;
}

describe('gw serve (the real proxy)', () => {
  it('serves the demo config, answers gw health, models and chat, and stops cleanly on SIGTERM', async () => {
    const serving = await serve(['--port', '0']);
    const { url, stdout } = serving;
    try {
      expect(stdout).toContain('config: embedded demo config');
      expect(stdout).toMatch(/model groups: .*demo/);

      const health = await runGw(['health', '--url', url, '--json']);
      expect(health.code).toBe(0);
      const report = JSON.parse(health.stdout);
      expect(
        report.deployments.some((deployment: { modelGroup: string }) => deployment.modelGroup === 'demo'),
      ).toBe(true);

      const models = await runGw(['models', '--url', url, '--json']);
      expect(models.code).toBe(0);
      expect(JSON.parse(models.stdout).models).toContain('demo');

      const chat = await runGw(['chat', '--url', url, '--model', 'demo', 'Hello gateway']);
      expect(chat.code).toBe(0);
      expect(chat.stdout.trim().length).toBeGreaterThan(0);

      const bench = await runGw([
        'bench',
        '--url',
        url,
        '--model',
        'demo',
        '--requests',
        '10',
        '--stream',
        '--json',
      ]);
      expect(bench.code).toBe(0);
      expect(JSON.parse(bench.stdout).ok).toBe(10);
    } finally {
      serving.stop();
    }
    expect(await serving.exited).toBe(0);
  });

  it("logs at the config's gw_settings.log_level when no --log-level is given", async () => {
    const serving = await serve(
      ['--config', join(directory, 'debug-log.yaml'), '--port', '0'],
      singleBanner,
      [],
    );
    try {
      const chat = await runGw(['chat', '--url', serving.url, '--model', 'demo', 'Hello logs']);
      expect(chat.code).toBe(0);
    } finally {
      serving.stop();
    }
    expect(await serving.exited).toBe(0);
    expect(serving.stdout).toContain('"msg":"request finished"');
  });

  it('with --workers 2 on a port in use exits 1 saying it cannot listen, without a stack trace', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runGw([
        'serve',
        '--port',
        String(port),
        '--workers',
        '2',
        '--log-level',
        'silent',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('gw: error: Cannot listen');
      expect(result.stderr).not.toContain('unexpected error');
    } finally {
      blocker.close();
      await once(blocker, 'close');
    }
  });

  it('with --workers 2 serves chat from cluster workers and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const serving = await serve(['--port', String(port), '--workers', '2'], workersBanner);
    try {
      expect(serving.stdout).toContain('with 2 workers');
      const chats = await Promise.all(
        Array.from({ length: 6 }, () =>
          runGw(['chat', '--url', serving.url, '--model', 'demo', 'Hello workers']),
        ),
      );
      for (const chat of chats) {
        expect(chat.code).toBe(0);
        expect(chat.stdout.trim().length).toBeGreaterThan(0);
      }
      const health = await runGw(['health', '--url', serving.url, '--json']);
      expect(health.code).toBe(0);
    } finally {
      serving.stop();
    }
    expect(await serving.exited).toBe(0);
  });
});
