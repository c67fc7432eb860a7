import { describe, expect, it } from 'vitest';
import { type ChatMessage, countMessages, type ToolDefinition } from '../src/index.ts';

// The openai-cookbook "How to count tokens with tiktoken" examples, with the prompt tokens the API billed.
const jargonConversation: ChatMessage[] = [
  {
    role: 'system',
    content:
      'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  {
    role: 'system',
    name: 'example_assistant',
    content: 'Things working well together will increase revenue.',
  },
  {
    role: 'system',
    name: 'example_user',
    content:
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'user',
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

const weatherTools: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: {
            type: 'string',
            description: 'The unit of temperature to return',
            enum: ['celsius', 'fahrenheit'],
          },
        },
        required: ['location'],
      },
    },
  },
];

const weatherConversation: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

describe('countMessages on the cookbook examples', () => {
  it('bills 129 prompt tokens for the example conversation on gpt-4', () => {
    expect(countMessages(jargonConversation, 'gpt-4')).toEqual({ tokens: 129, estimated: false });
  });

  it('bills 124 prompt tokens for the example conversation on gpt-4o', () => {
    expect(countMessages(jargonConversation, 'gpt-4o')).toEqual({ tokens: 124, estimated: false });
  });

  it('bills 105 prompt tokens for the weather conversation with its function on gpt-4', () => {
    expect(countMessages(weatherConversation, 'gpt-4', { tools: weatherTools })).toEqual({
      tokens: 105,
      estimated: false,
    });
  });

  it('bills 101 prompt tokens for the weather conversation with its function on gpt-4o', () => {
    expect(countMessages(weatherConversation, 'gpt-4o', { tools: weatherTools })).toEqual({
      tokens: 101,
      estimated: false,
    });
  });

  it('charges gpt-3.5-turbo-0301 four per message and one less per name', () => {
    const modern = countMessages(jargonConversation, 'gpt-3.5-turbo').tokens;
    const legacy = countMessages(jargonConversation, 'gpt-3.5-turbo-0301').tokens;
    // 6 messages at +1 each, 4 names at -2 each relative to the modern rule.
    expect(legacy - modern).toBe(6 - 8);
  });

  it("gives Azure's gpt-35-turbo-0301 the same legacy framing as gpt-3.5-turbo-0301", () => {
    const openai = countMessages(jargonConversation, 'gpt-3.5-turbo-0301');
    expect(countMessages(jargonConversation, 'gpt-35-turbo-0301')).toEqual(openai);
    expect(countMessages(jargonConversation, 'azure/gpt-35-turbo-0301')).toEqual(openai);
    // Other Azure gpt-35-turbo versions use the current framing, as their OpenAI twins do.
    expect(countMessages(jargonConversation, 'gpt-35-turbo-0613')).toEqual(
      countMessages(jargonConversation, 'gpt-3.5-turbo-0613'),
    );
  });
});
