// Public API of @gw/cli: the command tree, for embedding `gw` in other tools and for tests.
export { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-error.ts';
export { type CliContext, createProgram, runCli } from './program.ts';
