import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicProvider } from '../../src/providers/anthropic-provider.ts';
import type { AnthropicMessagesRequest } from '../../src/types/anthropic.ts';
import type { ChatCompletionRequest, ChatCompletionResponse } from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import { assemble, callJson, callStream, withScenario } from './support/call-provider.ts';

let mock: MockUpstream;
let target: ProviderTarget;
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const request: ChatCompletionRequest = {
  model: 'claude',
  messages: [{ role: 'user', content: 'Which city is the capital of Norway?' }],
  response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } },
};

beforeAll(async () => {
  mock = await startMockUpstream();
  target = withScenario(
    { provider: 'anthropic', model: 'claude-sonnet-4-5', apiBase: mock.url, apiKey: 'sk-ant-x-000000' },
    { toolCall: { name: 'json_tool_call', arguments: { city: 'Oslo' } } },
  );
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('response_format on Anthropic (structured output through a forced tool)', () => {
  it('sends the schema as a forced json_tool_call tool', async () => {
    await callJson(anthropicProvider, target, request);
    const sent = mock.requests[0]!.body as AnthropicMessagesRequest;
    expect(sent.tools).toEqual([
      {
        name: 'json_tool_call',
        description: 'Respond with a JSON object in this format.',
        input_schema: schema,
      },
    ]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'json_tool_call' });
    expect(sent).not.toHaveProperty('response_format');
  });

  it('answers with the JSON as message content and finish_reason stop', async () => {
    const response = (await callJson(anthropicProvider, target, request)) as ChatCompletionResponse;
    const choice = response.choices[0]!;
    expect(JSON.parse(choice.message.content as string)).toEqual({ city: 'Oslo' });
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.finish_reason).toBe('stop');
  });

  it('streams the JSON as content deltas', async () => {
    const { chunks } = await callStream(anthropicProvider, target, request);
    const assembled = assemble(chunks);
    expect(JSON.parse(assembled.text)).toEqual({ city: 'Oslo' });
    expect(assembled.tools).toEqual([]);
    expect(assembled.finishReason).toBe('stop');
  });

  it('lets any tool answer when the caller also passed tools', () => {
    const built = anthropicProvider.buildRequest(
      'chat',
      {
        ...request,
        response_format: { type: 'json_object' },
        tools: [{ type: 'function', function: { name: 'f' } }],
      },
      target,
    );
    const body = JSON.parse(built.body!) as AnthropicMessagesRequest;
    expect(body.tools?.map((tool) => tool.name)).toEqual(['f', 'json_tool_call']);
    expect(body.tool_choice).toEqual({ type: 'any' });
  });
});
