// Worker thread of `gw tokens`: counts the byte ranges it is sent of a shared UTF-8 buffer.
import { parentPort, workerData } from 'node:worker_threads';
import { countTokens } from '@gw/tokens';

export interface CountWorkerData {
  buffer: SharedArrayBuffer;
  model: string;
}

export interface CountRequest {
  id: number;
  start: number;
  end: number;
}

export type CountReply = { id: number; tokens: number } | { id: number; error: string };

const { buffer, model } = workerData as CountWorkerData;
const bytes = new Uint8Array(buffer);
const decoder = new TextDecoder();

parentPort?.on('message', (request: CountRequest) => {
  try {
    const text = decoder.decode(bytes.subarray(request.start, request.end));
    parentPort?.postMessage({ id: request.id, tokens: countTokens(text, model) } satisfies CountReply);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message } satisfies CountReply);
  }
});
