// Test doubles for the pipeline's two seams: an OpenAI-format protocol and a scripted in-process upstream.
import { GwError } from '@gw/errors';
import type { DeploymentConfig } from '../../../src/config/gateway-config.ts';
import type {
  CanonicalRequest,
  IngressProtocol,
  OpenedStream,
  SentResponse,
  UpstreamCaller,
} from '../../../src/pipeline/seams.ts';

export const openAiLikeProtocol: IngressProtocol = {
  parse(body) {
    const request = body as CanonicalRequest;
    if (typeof request?.model !== 'string') {
      throw new GwError({
        code: 'GW_ERR_INVALID_REQUEST',
        message: 'model: required',
        status: 400,
        details: { param: 'model' },
      });
    }
    return request;
  },
  formatResponse: (response) => response,
  createStreamEncoder: () => ({
    chunk: (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    end: () => 'data: [DONE]\n\n',
    error: (error) => `data: ${JSON.stringify({ error: { message: error.message, code: error.code } })}\n\n`,
  }),
  formatError: (error) => ({
    status: error.status,
    body: { error: { message: error.message, code: error.code } },
  }),
};

export type Script = (call: {
  deployment: DeploymentConfig;
  request: CanonicalRequest;
  signal: AbortSignal;
  stream: boolean;
}) => Promise<SentResponse | OpenedStream>;

export interface ScriptedUpstream extends UpstreamCaller {
  calls: { deployment: string; stream: boolean; request: CanonicalRequest }[];
}

export function scriptedUpstream(
  scripts: Record<string, Script>,
  prefill: readonly string[] = [],
): ScriptedUpstream {
  const calls: ScriptedUpstream['calls'] = [];
  const run = (
    deployment: DeploymentConfig,
    request: CanonicalRequest,
    signal: AbortSignal,
    stream: boolean,
  ) => {
    calls.push({ deployment: deployment.id, stream, request });
    const script = scripts[deployment.id];
    if (script === undefined) throw new Error(`no script for ${deployment.id}`);
    return script({ deployment, request, signal, stream });
  };
  return {
    calls,
    send: (deployment, _operation, request, signal) =>
      run(deployment, request, signal, false) as Promise<SentResponse>,
    stream: (deployment, request, signal) => run(deployment, request, signal, true) as Promise<OpenedStream>,
    supportsPrefill: (deployment) => prefill.includes(deployment.id),
  };
}

export function completion(text: string, usage = { prompt_tokens: 10, completion_tokens: 5 }): SentResponse {
  return {
    response: {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: text } }],
      usage,
    },
    usage: { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens },
  };
}

export function upstreamError(status: number, errorClass: string, retryAfterMs?: number): Error {
  return Object.assign(new Error(`upstream said ${status}`), { status, errorClass, retryAfterMs });
}

/** A stream of chunks; `failAfter` throws after that many chunks; `usage` adds a final usage chunk. */
export function chunkStream(
  pieces: string[],
  options: {
    failAfter?: number;
    usage?: { prompt_tokens: number; completion_tokens: number };
    signal?: AbortSignal;
    hang?: boolean;
  } = {},
): OpenedStream {
  async function* generate() {
    let index = 0;
    for (const piece of pieces) {
      if (options.failAfter !== undefined && index === options.failAfter) {
        throw upstreamError(502, 'connection');
      }
      yield { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece } }] };
      index++;
    }
    if (options.hang) {
      await new Promise<void>((_resolve, reject) => {
        // As a real upstream body does, one whose signal already fired fails at once.
        if (options.signal?.aborted) reject(options.signal.reason);
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
      });
    }
    if (options.usage !== undefined)
      yield { object: 'chat.completion.chunk', choices: [], usage: options.usage };
  }
  return { chunks: generate() };
}

export async function readAll(stream: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const piece of stream) out += piece;
  return out;
}

/** An upstream whose deployment `id` answers only once `open()` is called: its calls stay in flight until then. */
export function gatedUpstream(id: string): { upstream: ScriptedUpstream; open: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const upstream = scriptedUpstream({
    [id]: async () => {
      await gate;
      return completion('hello');
    },
  });
  return { upstream, open };
}
