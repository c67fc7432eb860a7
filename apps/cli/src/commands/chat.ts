// `gw chat`: sends one prompt through a gateway and streams the answer to the terminal as it arrives.
import type { Command } from 'commander';
import { runtimeError, usageError } from '../cli-error.ts';
import { apiKey, authHeaders, endpoint, gatewayBase } from '../gateway/endpoint.ts';
import { assertOk, send } from '../gateway/gateway-fetch.ts';
import { readSse } from '../gateway/read-sse.ts';
import { httpUrl, positiveInteger } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';

interface ChatOptions {
  model: string;
  url?: string;
  key?: string;
  system?: string;
  maxTokens?: number;
  stream: boolean;
}

interface ChunkPayload {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; type?: string } | string;
}

function parseChunk(data: string): ChunkPayload {
  try {
    return JSON.parse(data) as ChunkPayload;
  } catch (error) {
    throw runtimeError(
      'GW_ERR_STREAM_MALFORMED',
      `The gateway sent a chunk that is not JSON: ${data.slice(0, 120)}`,
      error,
    );
  }
}

function errorText(error: ChunkPayload['error']): string {
  return typeof error === 'string' ? error : (error?.message ?? 'unknown error');
}

async function readPrompt(
  words: string[],
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<string> {
  if (words.length > 0 && !(words.length === 1 && words[0] === '-')) return words.join(' ');
  if (stdin.isTTY && words.length === 0)
    throw usageError('Give a prompt: gw chat --model M "your question" (or pipe it on stdin).');
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  if (text.trim() === '') throw usageError('The prompt read from stdin is empty.');
  return text;
}

export function registerChatCommand(program: Command, io: Io, stdin: NodeJS.ReadableStream): void {
  program
    .command('chat')
    .description('send a prompt through a gateway and stream the answer')
    .argument('[prompt...]', 'the prompt; "-" or nothing reads it from stdin')
    .requiredOption('-m, --model <model>', 'model group to ask')
    .option('--url <url>', 'gateway base URL (default $GW_URL or http://127.0.0.1:4000)', httpUrl)
    .option('--key <key>', 'API key sent as a bearer token (default $GW_API_KEY)')
    .option('--system <text>', 'a system message')
    .option('--max-tokens <n>', 'upper bound on the answer length', positiveInteger)
    .option('--no-stream', 'wait for the whole answer instead of streaming')
    .addHelpText(
      'after',
      '\nExample:\n  gw chat --model demo "Write a haiku about gateways"\n\nExit codes: 0 answered, 1 unreachable gateway, HTTP or stream error, 2 bad arguments.',
    )
    .action(async (words: string[], options: ChatOptions) => {
      const prompt = await readPrompt(words, stdin as NodeJS.ReadableStream & { isTTY?: boolean });
      const url = endpoint(gatewayBase(options.url, io.env), '/v1/chat/completions');
      const messages = [
        ...(options.system ? [{ role: 'system', content: options.system }] : []),
        { role: 'user', content: prompt },
      ];
      const body = {
        model: options.model,
        messages,
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
        ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      };
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders(apiKey(options.key, io.env)) },
        body: JSON.stringify(body),
      });
      await assertOk(response, url);
      let usage: ChunkPayload['usage'];
      if (!options.stream || !response.headers.get('content-type')?.includes('text/event-stream')) {
        const payload = parseChunk(await response.text());
        if (payload.error)
          throw runtimeError(
            'GW_ERR_GATEWAY_HTTP',
            `The gateway answered an error: ${errorText(payload.error)}`,
          );
        io.stdout.write(`${payload.choices?.[0]?.message?.content ?? ''}\n`);
        usage = payload.usage;
      } else {
        if (!response.body)
          throw runtimeError('GW_ERR_STREAM_MALFORMED', 'The gateway sent a stream without a body.');
        let wroteAny = false;
        let outcome: { done: boolean };
        try {
          outcome = await readSse(response.body, (event) => {
            // An error event says the stream failed whatever its data holds: a server's plain-text reason too.
            if (event.event === 'error' && !event.data.trimStart().startsWith('{')) {
              throw runtimeError('GW_ERR_STREAM_ERROR', `The stream failed: ${event.data.slice(0, 200)}`);
            }
            const chunk = parseChunk(event.data);
            if (event.event === 'error' || chunk.error) {
              throw runtimeError('GW_ERR_STREAM_ERROR', `The stream failed: ${errorText(chunk.error)}`);
            }
            const text = chunk.choices?.[0]?.delta?.content;
            if (text) {
              io.stdout.write(text);
              wroteAny = true;
            }
            if (chunk.usage) usage = chunk.usage;
          });
        } catch (error) {
          if (wroteAny) io.stdout.write('\n');
          if ((error as { code?: string }).code?.startsWith('GW_ERR_')) throw error;
          throw runtimeError('GW_ERR_STREAM_ERROR', `The stream broke: ${(error as Error).message}`, error);
        }
        io.stdout.write('\n');
        if (!outcome.done) {
          throw runtimeError(
            'GW_ERR_STREAM_INCOMPLETE',
            'The stream ended before data: [DONE]; the answer may be cut short.',
          );
        }
      }
      if (usage && io.stderr.isTTY) {
        const style = createStyle(colourEnabled(io.stderr, io.env));
        io.stderr.write(
          style.dim(
            `${usage.prompt_tokens ?? '?'} prompt + ${usage.completion_tokens ?? '?'} completion tokens\n`,
          ),
        );
      }
    });
}
