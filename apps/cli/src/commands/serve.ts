// `gw serve`: starts the gw proxy (apps/proxy) in this process, or N cluster workers, until SIGINT/SIGTERM.
import { GwError } from '@gw/errors';
import type { AppliedHeapSettings, RunningProxy, StartProxyOptions } from '@gw/proxy';
import { type Command, Option } from 'commander';
import { runtimeError, usageError } from '../cli-error.ts';
import { port, positiveInteger } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';
import { checkConfigFile, invalidConfigError } from './config-check.ts';

type ProxyModule = typeof import('@gw/proxy');

interface ServeOptions {
  config?: string;
  port: number;
  host: string;
  workers?: number;
  logLevel?: string;
}

/** A part of @gw/proxy, or the error that says the install is broken. */
async function fromProxy<Module>(load: () => Promise<Module>): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    throw runtimeError(
      'GW_ERR_PROXY_UNAVAILABLE',
      `Cannot load @gw/proxy (${(error as Error).message}).`,
      error,
    );
  }
}

/** The proxy's V8 heap settings, applied before its modules load (loading them is what first grows the heap). */
async function applyProxyHeapSettings(): Promise<AppliedHeapSettings> {
  const { applyHeapSettings } = await fromProxy(() => import('@gw/proxy/heap-settings'));
  return applyHeapSettings();
}

/** Loaded after the heap settings and the config check, so a bad config never pays for loading the gateway. */
function loadProxy(): Promise<ProxyModule> {
  return fromProxy(() => import('@gw/proxy'));
}

/** Config problems are the caller's to fix (exit 2); anything else failing the start is a runtime failure. */
function startFailure(error: unknown): Error {
  if (GwError.hasCode(error, 'GW_ERR_CONFIG_INVALID')) return usageError(error.message, error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return runtimeError('GW_ERR_LISTEN_FAILED', `Cannot listen: ${(error as Error).message}`, error);
  }
  return error as Error;
}

/** The levels gw_settings.log_level accepts. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

const forever = (): Promise<never> => new Promise<never>(() => undefined);

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('start the gateway (the embedded demo config when no --config is given)')
    .option('-c, --config <file>', 'gw or LiteLLM config.yaml')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 4000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '-w, --workers <n>',
      'worker processes sharing the port (default 1; limits shared through Redis)',
      positiveInteger,
    )
    .addOption(
      // No default here: the config's gw_settings.log_level applies unless this is given.
      new Option(
        '--log-level <level>',
        "request log level (default: the config's gw_settings.log_level, else info)",
      ).choices(LOG_LEVELS),
    )
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl-C (SIGINT) or SIGTERM, finishing in-flight requests.\nExit codes: 0 stopped by a signal, 1 failed to start (port in use...), 2 bad arguments, missing or invalid config.',
    )
    .action(async (options: ServeOptions) => {
      const heap = await applyProxyHeapSettings();
      if (options.config !== undefined) {
        // Validate first: a bad config is a usage error with every problem listed, whatever the proxy does.
        const summary = await checkConfigFile(options.config);
        if (!summary.valid) throw invalidConfigError(summary);
      }
      const proxyModule = await loadProxy();
      const startOptions: StartProxyOptions = {
        ...(options.config === undefined ? {} : { configPath: options.config }),
        port: options.port,
        host: options.host,
        ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
      };
      // One start for a single process and for each worker: failures said as the CLI says them, the heap watched.
      const startWatched = async (): Promise<RunningProxy> => {
        let proxy: RunningProxy;
        try {
          proxy = await proxyModule.startProxy(startOptions);
        } catch (error) {
          throw startFailure(error);
        }
        heap.youngGeneration?.watch();
        return proxy;
      };
      const style = createStyle(colourEnabled(io.stdout, io.env));
      const configLabel = options.config ?? 'embedded demo config';
      if ((options.workers ?? 1) > 1) {
        await proxyModule.runWorkers({
          workers: options.workers!,
          startWorker: async () => {
            const proxy = await startWatched();
            return { close: async () => proxy.close() };
          },
          onReady: () =>
            io.stdout.write(
              `gw listening on ${style.bold(`http://${options.host}:${options.port}`)} with ${options.workers} workers\nconfig: ${configLabel}\n`,
            ),
          log: (message) => io.stderr.write(`gw: ${message}\n`),
        });
        // The cluster primary and its workers exit from runWorkers' own signal handlers.
        return forever();
      }
      const proxy = await startWatched();
      io.stdout.write(
        `gw listening on ${style.bold(proxy.url)}\nconfig: ${configLabel}\nmodel groups: ${proxy.modelGroups.join(', ') || '(none)'}\n`,
      );
      await untilSignal();
      io.stderr.write('gw: shutting down\n');
      await proxy.close();
    });
}
