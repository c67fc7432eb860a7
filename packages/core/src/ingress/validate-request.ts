// Validates a caller's body per operation; failures become a 400 naming the first bad field (`messages[0].role`).
import type { z } from 'zod';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import type { AnthropicCountTokensRequest, AnthropicMessagesRequest } from '../types/anthropic.ts';
import type { ChatCompletionRequest, CompletionRequest, EmbeddingRequest } from '../types/openai.ts';
import { anthropicCountTokensSchema, anthropicMessagesSchema } from './anthropic-schemas.ts';
import { chatCompletionSchema, completionSchema, embeddingSchema } from './openai-schemas.ts';

export type IngressOperation = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'count_tokens';

export interface ValidatedBodies {
  chat: ChatCompletionRequest;
  completions: CompletionRequest;
  embeddings: EmbeddingRequest;
  models: undefined;
  messages: AnthropicMessagesRequest;
  count_tokens: AnthropicCountTokensRequest;
}

const SCHEMAS: Record<Exclude<IngressOperation, 'models'>, z.ZodType> = {
  chat: chatCompletionSchema,
  completions: completionSchema,
  embeddings: embeddingSchema,
  messages: anthropicMessagesSchema,
  count_tokens: anthropicCountTokensSchema,
};

/** `['messages', 0, 'role']` -> `messages[0].role`. */
export function formatParamPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function validateRequest<Operation extends IngressOperation>(
  operation: Operation,
  body: unknown,
): ValidatedBodies[Operation] {
  if (operation === 'models') return undefined as ValidatedBodies[Operation];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null);
  }
  const schema = SCHEMAS[operation as Exclude<IngressOperation, 'models'>];
  const result = schema.safeParse(body);
  if (result.success) return result.data as ValidatedBodies[Operation];
  const issue = deepestIssue(result.error.issues);
  const param = formatParamPath(issue.path);
  const typeIssue = issue.code === 'invalid_type' || issue.code === 'invalid_union';
  if (param !== '' && typeIssue && valueAt(body, issue.path) === undefined) {
    // OpenAI's own wording for an absent field, rather than "expected number, received undefined".
    throw new InvalidRequestError(
      `Missing required parameter: '${param}'.`,
      param,
      'GW_ERR_MISSING_PARAMETER',
    );
  }
  const where = param === '' ? 'The request body' : `'${param}'`;
  throw new InvalidRequestError(`Invalid value for ${where}: ${issue.message}.`, param === '' ? null : param);
}

/** The value at a validation issue's path in the caller's body, or undefined where the path leaves it. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

type Issue = z.core.$ZodIssue;

/** A union failure hides the useful issue inside; pick the most specific path it reports. */
function deepestIssue(issues: readonly Issue[]): Issue {
  let best = issues[0]!;
  for (const issue of issues) {
    let candidate: Issue = issue;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const nested = issue.errors
        .flat()
        .map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue);
      candidate = deepestIssue(nested);
    }
    if (candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}
