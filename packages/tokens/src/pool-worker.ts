// Worker-thread side of the tokenizer pool: counts batches of texts exactly and replies with the counts.
import { parentPort } from 'node:worker_threads';
import { getTokenizer } from './count-tokens.ts';

export interface PoolRequest {
  readonly id: number;
  readonly encoding: string;
  readonly texts: readonly string[];
}

export type PoolReply =
  | { readonly id: number; readonly counts: number[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

parentPort?.on('message', (request: PoolRequest) => {
  try {
    const tokenizer = getTokenizer(request.encoding);
    const counts = request.texts.map((text) => tokenizer.count(text));
    parentPort?.postMessage({ id: request.id, counts } satisfies PoolReply);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    parentPort?.postMessage({
      id: request.id,
      error: { message: String(message), code },
    } satisfies PoolReply);
  }
});
