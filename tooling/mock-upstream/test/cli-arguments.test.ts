import { describe, expect, it } from 'vitest';
import { CliArgumentError, parseCliArguments } from '../src/cli-arguments.ts';

describe('command line', () => {
  it('defaults to port 9100 and ignores the -- that pnpm passes through', () => {
    expect(parseCliArguments(['--'])).toEqual({ port: 9100, maxRecordedRequests: 1000 });
    expect(parseCliArguments(['--', '--port', '0', '--host', '0.0.0.0'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      maxRecordedRequests: 1000,
    });
  });

  it('reads default and per-model scenarios', () => {
    expect(
      parseCliArguments(['--defaults', '{"latencyMs":5}', '--model', 'gpt-x={"status":429,"retryAfter":1}']),
    ).toEqual({
      port: 9100,
      maxRecordedRequests: 1000,
      defaults: { latencyMs: 5 },
      models: { 'gpt-x': { status: 429, retryAfter: 1 } },
    });
  });

  it('rejects unknown flags, bad ports and non-object scenarios', () => {
    expect(() => parseCliArguments(['--bogus'])).toThrow(CliArgumentError);
    expect(() => parseCliArguments(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseCliArguments(['--defaults', '[1]'])).toThrow(/JSON object/);
    expect(() => parseCliArguments(['--model', 'noequals'])).toThrow(/name=/);
  });
});
