// OpenAI chat-completions request shapes, as plain types (messages, content parts, tools).

export interface TextContentPart {
  type: 'text';
  text: string;
}

export interface ImageContentPart {
  type: 'image_url';
  image_url: {
    url: string;
    detail?: 'low' | 'high' | 'auto';
    /** Not part of OpenAI's wire format: callers may pass a remote image's size so its cost is exact. */
    width?: number;
    height?: number;
  };
}

export type ContentPart = TextContentPart | ImageContentPart | { type: string; [key: string]: unknown };

/** A call the assistant asked for: the function's name and its JSON arguments as text. */
export interface FunctionCall {
  name: string;
  arguments: string;
}

export interface ToolCall {
  id?: string;
  type?: 'function' | string;
  function: FunctionCall;
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function' | string;
  content?: string | readonly ContentPart[] | null;
  name?: string;
  tool_calls?: readonly ToolCall[];
  tool_call_id?: string;
  /** The pre-tools format of an assistant's call (`tool_calls` replaced it); its result is a `function` message. */
  function_call?: FunctionCall | null;
}

export interface JsonSchemaProperty {
  type?: string | readonly string[];
  description?: string;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchemaProperty>;
  items?: JsonSchemaProperty;
  [key: string]: unknown;
}

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: {
    type?: string;
    properties?: Record<string, JsonSchemaProperty>;
    required?: readonly string[];
    [key: string]: unknown;
  };
  strict?: boolean;
}

export interface ToolDefinition {
  type: 'function' | string;
  function: FunctionDefinition;
}
