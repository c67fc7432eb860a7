// Drives a Provider over real HTTP (plain undici, not the pool): build, send, then parse, decode or map the error.
import type { Scenario } from '@gw/mock-upstream';
import { request } from 'undici';
import type { ProviderError } from '../../../src/errors/provider-error.ts';
import type { ChatCompletionChunk } from '../../../src/types/openai.ts';
import type {
  CanonicalRequest,
  CanonicalResponse,
  Provider,
  ProviderTarget,
  StreamDecoder,
  UpstreamHttpResponse,
  UpstreamOperation,
} from '../../../src/types/provider.ts';

export function withScenario(target: ProviderTarget, scenario: Scenario): ProviderTarget {
  return { ...target, headers: { ...target.headers, 'x-mock-scenario': JSON.stringify(scenario) } };
}

async function send(
  provider: Provider,
  operation: UpstreamOperation,
  body: CanonicalRequest,
  target: ProviderTarget,
) {
  const built = provider.buildRequest(operation, body, target);
  if (provider.fetch !== undefined) return provider.fetch(built, target);
  const response = await request(`${built.origin}${built.path}`, {
    method: built.method,
    headers: built.headers,
    body: built.body ?? null,
  });
  const answer: UpstreamHttpResponse = {
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
  };
  return answer;
}

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const bytes of body) text += decoder.decode(bytes, { stream: true });
  return text + decoder.decode();
}

export async function callJson(
  provider: Provider,
  target: ProviderTarget,
  body: CanonicalRequest,
  operation: UpstreamOperation = 'chat',
): Promise<CanonicalResponse> {
  const response = await send(provider, operation, body, target);
  const text = await readText(response.body);
  if (response.status >= 400) throw provider.mapError(response.status, response.headers, text, target);
  return provider.parseResponse(operation, response.status, JSON.parse(text), target);
}

export interface StreamResult {
  chunks: ChatCompletionChunk[];
  decoder: StreamDecoder;
  malformed: string[];
  /** The error that ended the stream (mapped status error, in-stream error, transport failure). */
  error?: unknown;
}

export async function callStream(
  provider: Provider,
  target: ProviderTarget,
  body: CanonicalRequest,
  operation: UpstreamOperation = 'chat',
): Promise<StreamResult> {
  const response = await send(provider, operation, { ...body, stream: true }, target);
  if (response.status >= 400) {
    throw provider.mapError(response.status, response.headers, await readText(response.body), target);
  }
  const malformed: string[] = [];
  const decoder = provider.createStreamDecoder(target, { onMalformed: (raw) => malformed.push(raw) });
  const chunks: ChatCompletionChunk[] = [];
  const result: StreamResult = { chunks, decoder, malformed };
  try {
    for await (const bytes of response.body) chunks.push(...decoder.push(bytes));
    chunks.push(...decoder.end());
  } catch (error) {
    result.error = error;
  }
  return result;
}

export async function expectProviderError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    return error as ProviderError;
  }
  throw new Error('expected the call to fail');
}

/** Text and tool calls reassembled from chunks, as a client would. */
export function assemble(chunks: ChatCompletionChunk[]) {
  let text = '';
  let finishReason: string | null = null;
  const tools: { id?: string; name?: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    if (typeof choice.delta.content === 'string') text += choice.delta.content;
    for (const call of choice.delta.tool_calls ?? []) {
      const tool = tools[call.index] ?? { arguments: '' };
      tools[call.index] = tool;
      if (call.id !== undefined) tool.id = call.id;
      if (call.function?.name !== undefined) tool.name = call.function.name;
      tool.arguments += call.function?.arguments ?? '';
    }
    if (choice.finish_reason !== null) finishReason = choice.finish_reason;
  }
  return { text, finishReason, tools };
}
