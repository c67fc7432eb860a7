// `gw tokens`: exact token counts of a file, stdin or an OpenAI messages JSON, with the estimated input cost.
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { GwError } from '@gw/errors';
import type { ChatMessage } from '@gw/tokens';
import type { Command } from 'commander';
import { usageError } from '../cli-error.ts';
import { positiveInteger } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';
import type { CountProgress } from '../tokens/count-parallel.ts';

interface TokensOptions {
  model: string;
  json?: boolean;
  messages?: boolean;
  threads?: number;
}

/** Inputs below this size are counted on one thread: starting workers costs more than it saves. */
export const PARALLEL_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Inputs above this size show a progress bar on a TTY. */
export const PROGRESS_THRESHOLD_BYTES = 4 * 1024 * 1024;

async function readInput(file: string | undefined, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw usageError(`Not a file: ${file}`);
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`File not found: ${file}`);
    throw error;
  }
}

function parseMessages(bytes: Uint8Array, source: string): Array<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw usageError(`${source} is not JSON: ${(error as Error).message}`, error);
  }
  const messages = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown } | null)?.messages;
  if (
    !Array.isArray(messages) ||
    messages.some((message) => typeof message !== 'object' || message === null)
  ) {
    throw usageError(`${source} must hold an OpenAI messages array, or an object with a "messages" array.`);
  }
  return messages as Array<Record<string, unknown>>;
}

function progressBar(progress: CountProgress, width = 30): string {
  const fraction = progress.bytesTotal === 0 ? 1 : progress.bytesDone / progress.bytesTotal;
  const filled = Math.round(fraction * width);
  return `\r\u001b[2K  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}%  ${(progress.bytesDone / 1e6).toFixed(1)}/${(progress.bytesTotal / 1e6).toFixed(1)} MB`;
}

/** `$0.0000175`: three significant digits below a cent, never exponent notation (toPrecision gives `1.50e-7`). */
export function formatUsd(cost: number): string {
  if (cost === 0) return '$0';
  if (cost >= 0.01) return `$${cost.toFixed(4)}`;
  const decimals = Math.min(20, 2 - Math.floor(Math.log10(cost)));
  return `$${cost.toFixed(decimals).replace(/0+$/, '')}`;
}

export function registerTokensCommand(program: Command, io: Io, stdin: NodeJS.ReadableStream): void {
  program
    .command('tokens')
    .description("count tokens exactly with the model's tokenizer, and estimate the input cost")
    .argument('[file]', 'file to count; "-" or nothing reads stdin')
    .requiredOption('-m, --model <model>', 'model whose tokenizer and price to use (gpt-4o, gpt-4, ...)')
    .option(
      '--messages',
      'the input is an OpenAI messages JSON (count as a chat prompt, with message overhead)',
    )
    .option('--threads <n>', 'worker threads for large inputs (default: all cores)', positiveInteger)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Inputs over ${PARALLEL_THRESHOLD_BYTES / 1024 / 1024} MiB are cut at points where the tokenizer splits anyway and counted on all cores;
the total is exactly the single-threaded count. Prices come from @gw/core's price table.
Models without a public tokenizer (Claude...) are estimated with a stand-in encoding and marked as such.
Exit codes: 0 counted, 1 runtime failure, 2 bad arguments, missing file, invalid messages JSON.`,
    )
    .action(async (file: string | undefined, options: TokensOptions) => {
      // Loaded on demand so other commands start fast.
      const [{ countMessages, encodingForModel }, { costOf }, { countParallel }] = await Promise.all([
        import('@gw/tokens'),
        import('@gw/core'),
        import('../tokens/count-parallel.ts'),
      ]);
      const resolved = encodingForModel(options.model);
      let estimated = resolved.estimated;
      const source = file === undefined || file === '-' ? 'stdin' : file;
      const bytes = await readInput(file, stdin);
      let tokens: number;
      let threads = 1;
      let parts = 1;
      if (options.messages) {
        let counted: ReturnType<typeof countMessages>;
        try {
          counted = countMessages(parseMessages(bytes, source) as unknown as ChatMessage[], options.model);
        } catch (error) {
          // A message of the wrong shape is the input's fault, like JSON that does not parse: exit 2.
          if (GwError.hasCode(error, 'GW_ERR_TOKENS_INVALID_INPUT'))
            throw usageError(`${source}: ${error.message}`, error);
          throw error;
        }
        tokens = counted.tokens;
        estimated ||= counted.estimated;
      } else {
        const wanted =
          options.threads ?? (bytes.length >= PARALLEL_THRESHOLD_BYTES ? availableParallelism() : 1);
        const showProgress = io.stderr.isTTY === true && bytes.length >= PROGRESS_THRESHOLD_BYTES;
        const outcome = await countParallel(bytes, {
          model: options.model,
          // Approximated families scale the whole count once, so only exact (OpenAI) counts may be split.
          threads: resolved.family === 'openai' ? wanted : 1,
          ...(showProgress
            ? { onProgress: (progress: CountProgress) => io.stderr.write(progressBar(progress)) }
            : {}),
        });
        if (showProgress) io.stderr.write('\r\u001b[2K');
        tokens = outcome.tokens;
        threads = outcome.threads;
        parts = outcome.parts;
      }
      const cost = costOf(options.model, { inputTokens: tokens, outputTokens: 0 });
      if (options.json) {
        const result = {
          source,
          model: options.model,
          encoding: resolved.encoding,
          estimated,
          tokens,
          bytes: bytes.length,
          threads,
          parts,
          inputCostUsd: cost ?? null,
        };
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const style = createStyle(colourEnabled(io.stdout, io.env));
      const price =
        cost === undefined
          ? style.dim(`no price known for ${options.model}`)
          : `estimated input cost ${formatUsd(cost)}`;
      io.stdout.write(
        `${style.bold(tokens.toLocaleString('en-US'))} tokens  ${style.dim(`(${resolved.encoding}${estimated ? ', estimated' : ''}, ${source}, ${bytes.length.toLocaleString('en-US')} bytes)`)}\n${price}\n`,
      );
    });
}
