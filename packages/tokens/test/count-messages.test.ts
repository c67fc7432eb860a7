import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  countMessages,
  countTokens,
  type FunctionDefinition,
  type ToolDefinition,
} from '../src/index.ts';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', name: 'ada', content: 'Sum 2 and 3.' },
];

const tools: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'add',
      description: 'Add two numbers.',
      parameters: { type: 'object', properties: { a: { type: 'number', description: 'First.' } } },
    },
  },
];

describe('countMessages', () => {
  it('adds 3 per message, the text of role, content and name, 1 per name, and 3 for the reply', () => {
    const count = (text: string): number => countTokens(text, 'gpt-4o');
    const expected =
      3 +
      count('system') +
      count('You are terse.') +
      3 +
      count('user') +
      count('ada') +
      1 +
      count('Sum 2 and 3.') +
      3;
    expect(countMessages(conversation, 'gpt-4o')).toEqual({ tokens: expected, estimated: false });
  });

  it('applies the function rule per property: 3 + key:type:description without the final period', () => {
    const base = countMessages(conversation, 'gpt-4o').tokens;
    const count = (text: string): number => countTokens(text, 'gpt-4o');
    const expected = base + 7 + count('add:Add two numbers') + 3 + 3 + count('a:number:First') + 12;
    expect(countMessages(conversation, 'gpt-4o', { tools })).toEqual({ tokens: expected, estimated: false });
  });

  it("leaves the count exact for toolChoice 'auto' and 'none', and marks a forced function as an estimate", () => {
    const auto = countMessages(conversation, 'gpt-4o', { tools, toolChoice: 'auto' });
    expect(auto).toEqual(countMessages(conversation, 'gpt-4o', { tools }));
    expect(countMessages(conversation, 'gpt-4o', { tools, toolChoice: 'none' })).toEqual(auto);
    const forced = countMessages(conversation, 'gpt-4o', {
      tools,
      toolChoice: { type: 'function', function: { name: 'add' } },
    });
    expect(forced.estimated).toBe(true);
    expect(forced.tokens).toBeGreaterThan(auto.tokens);
  });

  it('counts assistant tool calls and tool results, and says the framing is an estimate', () => {
    const withCalls: ChatMessage[] = [
      ...conversation,
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
    ];
    const result = countMessages(withCalls, 'gpt-4o');
    expect(result.estimated).toBe(true);
    expect(result.tokens).toBeGreaterThan(countMessages(conversation, 'gpt-4o').tokens + 6);
  });

  it("counts an assistant's legacy function_call like one tool call: name, arguments and 3, as an estimate", () => {
    const count = (text: string): number => countTokens(text, 'gpt-4o');
    const legacyCall: ChatMessage = {
      role: 'assistant',
      content: null,
      function_call: { name: 'add', arguments: '{"a":2,"b":3}' },
    };
    const base = countMessages(conversation, 'gpt-4o').tokens;
    const result = countMessages([...conversation, legacyCall], 'gpt-4o');
    expect(result).toEqual({
      tokens: base + 3 + count('assistant') + count('add') + count('{"a":2,"b":3}') + 3,
      estimated: true,
    });
    const asToolCall: ChatMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [{ type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } }],
    };
    expect(countMessages([...conversation, asToolCall], 'gpt-4o')).toEqual(result);
  });

  it('counts a legacy function result like a tool result: its role, name and content, as an estimate', () => {
    const count = (text: string): number => countTokens(text, 'gpt-4o');
    const base = countMessages(conversation, 'gpt-4o').tokens;
    const result: ChatMessage = { role: 'function', name: 'add', content: '5' };
    expect(countMessages([...conversation, result], 'gpt-4o')).toEqual({
      tokens: base + 3 + count('function') + count('add') + 1 + count('5'),
      estimated: true,
    });
  });

  it('counts legacy functions definitions exactly like the same definitions given as tools', () => {
    const functions: FunctionDefinition[] = tools.map((tool) => tool.function);
    expect(countMessages(conversation, 'gpt-4o', { functions })).toEqual(
      countMessages(conversation, 'gpt-4o', { tools }),
    );
    expect(countMessages(conversation, 'gpt-4', { functions })).toEqual(
      countMessages(conversation, 'gpt-4', { tools }),
    );
  });

  it('counts tools and legacy functions sent together as one list of definitions', () => {
    const count = (text: string): number => countTokens(text, 'gpt-4o');
    const functions: FunctionDefinition[] = [{ name: 'noop', description: 'Do nothing.' }];
    const both = countMessages(conversation, 'gpt-4o', { tools, functions }).tokens;
    // One more function: 7 + 'noop:Do nothing'; the 12 closing tokens are paid once.
    expect(both).toBe(countMessages(conversation, 'gpt-4o', { tools }).tokens + 7 + count('noop:Do nothing'));
  });

  it("treats the legacy function_call option like toolChoice: 'none'/'auto' exact, a named function estimated", () => {
    const functions: FunctionDefinition[] = tools.map((tool) => tool.function);
    const plain = countMessages(conversation, 'gpt-4o', { functions });
    expect(countMessages(conversation, 'gpt-4o', { functions, functionCall: 'auto' })).toEqual(plain);
    expect(countMessages(conversation, 'gpt-4o', { functions, functionCall: 'none' })).toEqual(plain);
    const forcedLegacy = countMessages(conversation, 'gpt-4o', { functions, functionCall: { name: 'add' } });
    const forcedTool = countMessages(conversation, 'gpt-4o', {
      tools,
      toolChoice: { type: 'function', function: { name: 'add' } },
    });
    expect(forcedLegacy).toEqual(forcedTool);
    expect(forcedLegacy).toEqual({
      tokens: plain.tokens + countTokens('add', 'gpt-4o') + 3,
      estimated: true,
    });
  });

  it('counts unknown models with the default encoding and marks the result as an estimate', () => {
    const result = countMessages(conversation, 'my-local-llm');
    expect(result.estimated).toBe(true);
    expect(result.tokens).toBe(countMessages(conversation, 'gpt-4o').tokens);
  });

  it('scales Anthropic counts by the documented factor and marks them as estimates', () => {
    const exact = countMessages(conversation, 'gpt-4').tokens;
    expect(countMessages(conversation, 'claude-3-5-haiku-latest')).toEqual({
      tokens: Math.ceil(exact * 1.05),
      estimated: true,
    });
  });
});
