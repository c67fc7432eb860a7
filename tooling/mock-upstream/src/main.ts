// The mock-upstream command: serves the fake providers until interrupted.
import { CliArgumentError, parseCliArguments, usage } from './cli-arguments.ts';
import { startMockUpstream } from './mock-upstream.ts';

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliArguments>;
  try {
    options = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliArgumentError || error instanceof SyntaxError)) throw error;
    console.error(`mock-upstream: ${error.message}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(usage);
    return;
  }
  const mock = await startMockUpstream(options);
  console.log(`mock-upstream listening on ${mock.url}`);
  console.log(`  OpenAI:    ${mock.url}/v1  (chat/completions, completions, embeddings, models)`);
  console.log(`  Azure:     ${mock.url}/openai/deployments/{deployment}/chat/completions?api-version=...`);
  console.log(`  Anthropic: ${mock.url}/v1/messages`);
  const stop = (): void => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
