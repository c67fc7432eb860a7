// Starts the gateway server in this process: loads the config (or the built-in demo), builds the gateway, listens.
import type { AddressInfo } from 'node:net';
import { createGateway, createLogger, defaultDemoConfig, type GatewayConfig, loadConfig } from '@gw/core';
import { connectRedis } from './connect-redis.ts';
import { createProxyServer, type ProxyServerOptions } from './server.ts';

export interface StartProxyOptions {
  /** A gw or LiteLLM config.yaml; the built-in demo configuration when absent. */
  configPath?: string;
  /** An already loaded config; wins over `configPath`. */
  config?: GatewayConfig;
  port?: number;
  host?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** How long a shutdown waits for in-flight requests and streams (default 10 s). */
  shutdownDeadlineMs?: number;
  server?: ProxyServerOptions;
  /** Log level for the pino logger (default `info`; `silent` in tests). */
  logLevel?: string;
}

export interface RunningProxy {
  url: string;
  port: number;
  modelGroups: string[];
  warnings: string[];
  /** Graceful: stop accepting, finish in-flight work up to the deadline, then close pools and Redis. */
  close(): Promise<void>;
}

export async function startProxy(options: StartProxyOptions = {}): Promise<RunningProxy> {
  const env = options.env ?? process.env;
  const loaded = options.config
    ? { config: options.config, warnings: [] as string[] }
    : options.configPath
      ? loadConfig({ path: options.configPath }, env)
      : { config: defaultDemoConfig(env), warnings: [] as string[] };
  const logger = createLogger({ level: options.logLevel ?? loaded.config.gw.logLevel });
  for (const warning of loaded.warnings) logger.warn({ warning }, 'config warning');
  const redisSettings = loaded.config.router.redis;
  const redis = redisSettings ? await connectRedis(redisSettings) : undefined;
  const gateway = createGateway({ config: loaded.config, logger, ...(redis ? { redis } : {}) });
  const proxy = createProxyServer(gateway, {
    corsOrigins: loaded.config.gw.corsOrigins,
    bodyLimitBytes: loaded.config.gw.bodyLimitBytes,
    ...options.server,
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'unhandled request error'),
  });
  await new Promise<void>((resolve, reject) => {
    proxy.server.once('error', reject);
    proxy.server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      proxy.server.off('error', reject);
      resolve();
    });
  });
  const address = proxy.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    modelGroups: gateway.modelGroups(),
    warnings: loaded.warnings,
    close() {
      closing ??= (async () => {
        await proxy.shutdown(options.shutdownDeadlineMs ?? 10_000);
        await gateway.close();
        redis?.disconnect();
      })();
      return closing;
    },
  };
}
