// The `gw` command tree and the mapping from any failure to a message and an exit code.
import { readFileSync } from 'node:fs';
import { GwError } from '@gw/errors';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-error.ts';
import { registerBenchCommand } from './commands/bench.ts';
import { registerChatCommand } from './commands/chat.ts';
import { registerConfigCommand } from './commands/config-check.ts';
import { registerHealthCommands } from './commands/health.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTokensCommand } from './commands/tokens.ts';
import { colourEnabled, createStyle, type Io } from './terminal.ts';

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export interface CliContext extends Io {
  stdin: NodeJS.ReadableStream;
}

export function createProgram(context: CliContext): Command {
  const program = new Command('gw')
    .description('gw: the composable LLM gateway. Serve it, count tokens, check configs, chat and load-test.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 runtime failure (unreachable gateway, HTTP error), 2 usage error (bad arguments, missing file, invalid config).\nEnvironment: GW_URL (gateway base URL), GW_API_KEY (bearer key), NO_COLOR (disable colour).',
    );
  registerServeCommand(program, context);
  registerTokensCommand(program, context, context.stdin);
  registerConfigCommand(program, context);
  registerHealthCommands(program, context);
  registerChatCommand(program, context, context.stdin);
  registerBenchCommand(program, context);
  return program;
}

/** Runs `gw` with the given arguments (without node and script) and returns the exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const program = createProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // `gw help [command]` ends with exit code 0 like --help; help shown for a missing command is a usage error.
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    const style = createStyle(colourEnabled(context.stderr, context.env));
    if (error instanceof CliError) {
      context.stderr.write(`${style.red('gw: error:')} ${error.message}\n`);
      return error.exitCode;
    }
    if (GwError.isInstance(error)) {
      context.stderr.write(`${style.red('gw: error:')} ${error.message} (${error.code})\n`);
      return EXIT_FAILURE;
    }
    context.stderr.write(
      `${style.red('gw: unexpected error:')} ${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}
