import { describe, expect, it } from 'vitest';
import { type ChatMessage, countMessages, countTokens, type ToolDefinition } from '../src/index.ts';

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
