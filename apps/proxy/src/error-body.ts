// Errors raised by the HTTP layer itself (bad JSON, unknown route, oversized body), in the caller's protocol.
import { formatAnthropicError, formatOpenAIError } from '@gw/core';
import { GwError } from '@gw/errors';
import type { Protocol } from './routes.ts';

export function httpError(status: number, code: `GW_ERR_${string}`, message: string): GwError {
  return new GwError({ code, message, status });
}

export function errorBody(protocol: Protocol, error: unknown): { status: number; body: unknown } {
  return protocol === 'anthropic' ? formatAnthropicError(error) : formatOpenAIError(error);
}
