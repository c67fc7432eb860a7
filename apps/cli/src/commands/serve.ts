// `gw serve`: starts the gw proxy (apps/proxy) in this process and keeps it running until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { runtimeError, usageError } from '../cli-error.ts';
import { port, positiveInteger } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';

/** What `@gw/proxy` exports for embedding; declared here so the CLI builds before the proxy does. */
export interface StartProxyOptions {
  configPath?: string;
  port: number;
  host: string;
  workers?: number;
}

export interface RunningProxy {
  url: string;
  modelGroups: string[];
  close(): Promise<void> | void;
}

type StartProxy = (options: StartProxyOptions) => Promise<RunningProxy>;

interface ServeOptions {
  config?: string;
  port: number;
  host: string;
  workers?: number;
}

async function loadStartProxy(): Promise<StartProxy> {
  // A variable specifier keeps the proxy's types out of the CLI's compile: the two build independently.
  const specifier = '@gw/proxy';
  let module: { startProxy?: unknown };
  try {
    module = (await import(specifier)) as { startProxy?: unknown };
  } catch (error) {
    throw runtimeError(
      'GW_ERR_PROXY_UNAVAILABLE',
      `Cannot load @gw/proxy (${(error as Error).message}).`,
      error,
    );
  }
  if (typeof module.startProxy !== 'function') {
    throw runtimeError(
      'GW_ERR_PROXY_UNAVAILABLE',
      'This @gw/proxy build does not export startProxy(); update @gw/proxy.',
    );
  }
  return module.startProxy as StartProxy;
}

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('start the gateway (the embedded demo config when no --config is given)')
    .option('-c, --config <file>', 'gw or LiteLLM config.yaml')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 4000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('-w, --workers <n>', 'worker processes (default: one)', positiveInteger)
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl-C (SIGINT) or SIGTERM.\nExit codes: 0 stopped by a signal, 1 failed to start, 2 bad arguments or missing config file.',
    )
    .action(async (options: ServeOptions) => {
      if (options.config !== undefined && !existsSync(options.config)) {
        throw usageError(`Config file not found: ${options.config}`);
      }
      const startProxy = await loadStartProxy();
      const proxy = await startProxy({
        ...(options.config === undefined ? {} : { configPath: options.config }),
        port: options.port,
        host: options.host,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
      });
      const style = createStyle(colourEnabled(io.stdout, io.env));
      io.stdout.write(
        `gw listening on ${style.bold(proxy.url)}\nconfig: ${options.config ?? 'embedded demo config'}\nmodel groups: ${proxy.modelGroups.join(', ') || '(none)'}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      io.stderr.write('gw: shutting down\n');
      await proxy.close();
    });
}
