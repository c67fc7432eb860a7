// Structured output for Anthropic: OpenAI's `response_format` becomes a forced tool whose input is the JSON answer.

/** The reserved tool name, as LiteLLM uses; its input comes back as the message content, not as a tool call. */
export const JSON_TOOL_NAME = 'json_tool_call';

export function jsonToolSchema(responseFormat: unknown): Record<string, unknown> | undefined {
  const format = responseFormat as { type?: unknown; json_schema?: { schema?: unknown } } | null | undefined;
  if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    return typeof schema === 'object' && schema !== null
      ? (schema as Record<string, unknown>)
      : { type: 'object', additionalProperties: true };
  }
  if (format?.type === 'json_object') return { type: 'object', additionalProperties: true };
  return undefined;
}
