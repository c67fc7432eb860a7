// The errors a command ends with, each carrying the exit code scripts rely on (1 runtime failure, 2 usage).
import { GwError } from '@gw/errors';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends GwError {
  readonly exitCode: number;

  constructor(options: { code: `GW_ERR_${string}`; message: string; exitCode: number; cause?: unknown }) {
    super({ code: options.code, message: options.message, cause: options.cause, status: 500 });
    this.name = 'CliError';
    this.exitCode = options.exitCode;
  }
}

/** Bad arguments, a missing file, an invalid config: the caller must change the command. Exit 2. */
export function usageError(message: string, cause?: unknown): CliError {
  return new CliError({ code: 'GW_ERR_CLI_USAGE', message, exitCode: EXIT_USAGE, cause });
}

/** The command was right but the world failed it: unreachable gateway, HTTP error. Exit 1. */
export function runtimeError(code: `GW_ERR_${string}`, message: string, cause?: unknown): CliError {
  return new CliError({ code, message, exitCode: EXIT_FAILURE, cause });
}
