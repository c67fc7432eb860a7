// POST /v1/embeddings: deterministic unit vectors per input, with `dimensions` and base64 encoding like OpenAI.
import type { Exchange } from './exchange.ts';
import { sendJson } from './http-reply.ts';
import { estimateTokens } from './reply-plan.ts';

function defaultDimensions(model: string): number {
  return model.includes('3-large') ? 3072 : 1536;
}

function seedOf(text: string): number {
  // FNV-1a: the same input always yields the same vector, different inputs differ.
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A unit-length vector derived only from the input text. */
export function embeddingOf(text: string, dimensions: number): Float32Array {
  let state = seedOf(text) || 1;
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let index = 0; index < dimensions; index += 1) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = ((state >>> 0) / 0xffffffff) * 2 - 1;
    vector[index] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] ?? 0) * scale;
  return vector;
}

function inputsOf(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input)) {
    if (input.every((item) => typeof item === 'number')) return [input.join(',')];
    return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  return [JSON.stringify(input)];
}

export function answerEmbeddings(exchange: Exchange): Promise<void> {
  const { body } = exchange;
  const model = typeof body.model === 'string' ? body.model : (exchange.model ?? 'text-embedding-3-small');
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : defaultDimensions(model);
  const base64 = body.encoding_format === 'base64';
  const inputs = inputsOf(body.input);
  const data = inputs.map((text, index) => {
    const vector = embeddingOf(text, dimensions);
    const embedding = base64
      ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
      : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  const promptTokens =
    exchange.scenario.usage?.promptTokens ?? inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  return sendJson(exchange, 200, {
    object: 'list',
    data,
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
