// The providers' exact error JSON for each status and error code, per dialect.
import type { Dialect } from './recorded-request.ts';

export interface ErrorSpec {
  status: number;
  errorCode?: string;
  errorMessage?: string;
  retryAfter?: number;
  model?: string;
  apiVersion?: string;
  requestId: string;
}

interface OpenAIErrorFields {
  message: string;
  type: string | null;
  param: string | null;
  code: string | null;
}

function openAIFields(spec: ErrorSpec): OpenAIErrorFields {
  const model = spec.model ?? 'gpt-4o-mini';
  const wait = spec.retryAfter ?? 20;
  switch (spec.errorCode) {
    case 'context_length_exceeded':
      return {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      };
    case 'content_policy_violation':
      return {
        message:
          'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
        type: 'invalid_request_error',
        param: null,
        code: 'content_policy_violation',
      };
    case 'insufficient_quota':
      return {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      };
    case 'model_not_found':
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      };
    case 'missing_api_key':
      return {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
    case 'invalid_json':
      return {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
    case 'prefill_not_supported':
      return {
        message:
          "This model does not support assistant message prefill. The last message must have role 'user', 'tool' or 'developer'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      };
    default:
      break;
  }
  switch (spec.status) {
    case 400:
      return {
        message: 'Invalid request.',
        type: 'invalid_request_error',
        param: null,
        code: spec.errorCode ?? null,
      };
    case 401:
      return {
        message:
          'Incorrect API key provided: sk-mock***************key. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      };
    case 403:
      return {
        message: 'You are not allowed to sample from this model',
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
    case 404:
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      };
    case 429:
      return {
        message: `Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${wait}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 500:
      return {
        message:
          'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
        type: 'server_error',
        param: null,
        code: null,
      };
    case 502:
      return { message: 'Bad gateway.', type: 'server_error', param: null, code: null };
    case 503:
      return {
        message: 'The engine is currently overloaded, please try again later.',
        type: 'server_error',
        param: null,
        code: null,
      };
    default:
      return {
        message: `Upstream answered with status ${spec.status}.`,
        type: spec.status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: spec.errorCode ?? null,
      };
  }
}

function openAIBody(spec: ErrorSpec): unknown {
  const fields = openAIFields(spec);
  if (spec.errorMessage !== undefined) fields.message = spec.errorMessage;
  return { error: fields };
}

function azureBody(spec: ErrorSpec): unknown {
  const version = spec.apiVersion ?? '2024-10-21';
  const wait = spec.retryAfter ?? 6;
  const plain = (code: string, message: string): unknown => ({
    error: { code, message: spec.errorMessage ?? message },
  });
  if (spec.errorCode === 'content_policy_violation' || spec.errorCode === 'content_filter') {
    const filtered = { filtered: true, severity: 'high' };
    const safe = { filtered: false, severity: 'safe' };
    return {
      error: {
        message:
          spec.errorMessage ??
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: safe,
            jailbreak: { filtered: false, detected: false },
            self_harm: safe,
            sexual: safe,
            violence: filtered,
          },
        },
      },
    };
  }
  if (spec.errorCode === 'missing_api_version') return plain('404', 'Resource not found');
  if (spec.errorCode === 'deployment_not_found') {
    return plain(
      'DeploymentNotFound',
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    );
  }
  if (spec.errorCode === undefined || spec.errorCode === 'missing_api_key') {
    if (spec.status === 401) {
      return plain(
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    }
    if (spec.status === 429) {
      return plain(
        '429',
        `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${version} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${wait} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
      );
    }
    if (spec.status === 404) return plain('404', 'Resource not found');
  }
  return openAIBody(spec);
}

function anthropicFields(spec: ErrorSpec): { type: string; message: string } {
  switch (spec.errorCode) {
    case 'context_length_exceeded':
      return { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' };
    case 'content_policy_violation':
      return { type: 'invalid_request_error', message: 'Output blocked by content filtering policy' };
    case 'missing_api_key':
      return { type: 'authentication_error', message: 'x-api-key header is required' };
    case 'missing_version':
      return { type: 'invalid_request_error', message: 'anthropic-version: header is required' };
    case 'invalid_json':
      return {
        type: 'invalid_request_error',
        message: 'There was an issue with the format of your request: invalid JSON',
      };
    case 'missing_max_tokens':
      return { type: 'invalid_request_error', message: 'max_tokens: Field required' };
    case 'prefill_not_supported':
      return {
        type: 'invalid_request_error',
        message:
          'This model does not support assistant message prefill. The conversation must end with a user message.',
      };
    default:
      break;
  }
  switch (spec.status) {
    case 400:
      return { type: 'invalid_request_error', message: 'Invalid request.' };
    case 401:
      return { type: 'authentication_error', message: 'invalid x-api-key' };
    case 403:
      return {
        type: 'permission_error',
        message: 'Your API key does not have permission to use the specified resource.',
      };
    case 404:
      return { type: 'not_found_error', message: `model: ${spec.model ?? 'unknown'}` };
    case 413:
      return { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
    case 429:
      return {
        type: 'rate_limit_error',
        message:
          'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
      };
    case 500:
      return { type: 'api_error', message: 'Internal server error' };
    case 503:
    case 529:
      return { type: 'overloaded_error', message: 'Overloaded' };
    default:
      return {
        type: spec.status >= 500 ? 'api_error' : 'invalid_request_error',
        message: `Upstream answered with status ${spec.status}.`,
      };
  }
}

function anthropicBody(spec: ErrorSpec): unknown {
  const fields = anthropicFields(spec);
  if (spec.errorMessage !== undefined) fields.message = spec.errorMessage;
  return { type: 'error', error: fields, request_id: spec.requestId };
}

export function errorBody(dialect: Dialect, spec: ErrorSpec): unknown {
  if (dialect === 'anthropic') return anthropicBody(spec);
  if (dialect === 'azure') return azureBody(spec);
  return openAIBody(spec);
}
