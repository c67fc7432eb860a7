import { countMessages } from '@gw/tokens';
import { describe, expect, it } from 'vitest';
import { countPromptTokens } from '../../src/pipeline/prompt-tokens.ts';

const weather = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const messages = [{ role: 'user', content: 'Weather in Paris?' }];

describe('countPromptTokens', () => {
  it("counts a request's legacy functions exactly as the same definitions given as tools", () => {
    const asTools = countPromptTokens(
      { model: 'gpt-4o', messages, tools: [{ type: 'function', function: weather }] },
      'chat',
      'gpt-4o',
    );
    const asFunctions = countPromptTokens(
      { model: 'gpt-4o', messages, functions: [weather] },
      'chat',
      'gpt-4o',
    );
    expect(asFunctions).toBe(asTools);
    expect(asFunctions).toBeGreaterThan(countMessages(messages, 'gpt-4o').tokens);
  });

  it('counts a named legacy function_call like the same tool_choice', () => {
    const named = countPromptTokens(
      { model: 'gpt-4o', messages, functions: [weather], function_call: { name: 'get_weather' } },
      'chat',
      'gpt-4o',
    );
    const asToolChoice = countPromptTokens(
      {
        model: 'gpt-4o',
        messages,
        tools: [{ type: 'function', function: weather }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      },
      'chat',
      'gpt-4o',
    );
    expect(named).toBe(asToolChoice);
  });
});
