import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costOf } from '@gw/core';
import { countMessages, countTokens } from '@gw/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGw } from './run-gw.ts';
import { variedText } from './varied-text.ts';

let directory: string;
const smallText = variedText(5_000, 3);
// Over the 2 MiB threshold, so the default run splits it across threads.
const largeText = variedText(3 * 1024 * 1024, 11);
const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'How many tokens is this?' },
];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gw-cli-tokens-'));
  await writeFile(join(directory, 'small.txt'), smallText);
  await writeFile(join(directory, 'large.txt'), largeText);
  await writeFile(join(directory, 'messages.json'), JSON.stringify({ messages }));
  await writeFile(join(directory, 'not-messages.json'), JSON.stringify({ prompt: 'x' }));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const json = (stdout: string) => JSON.parse(stdout);

describe('gw tokens', () => {
  it('counts a file exactly and prints the estimated input cost', async () => {
    const result = await runGw(['tokens', join(directory, 'small.txt'), '--model', 'gpt-4o']);
    expect(result.code).toBe(0);
    const expected = countTokens(smallText, 'gpt-4o');
    expect(result.stdout).toContain(`${expected.toLocaleString('en-US')} tokens`);
    expect(result.stdout).toContain('o200k_base');
    expect(result.stdout).toMatch(/estimated input cost \$\d/);
  });

  it('reads stdin and reports JSON with the cost from the price table', async () => {
    const result = await runGw(['tokens', '-', '--model', 'gpt-4', '--json'], { input: smallText });
    expect(result.code).toBe(0);
    const counted = json(result.stdout);
    expect(counted).toMatchObject({ source: 'stdin', encoding: 'cl100k_base', estimated: false, threads: 1 });
    expect(counted.tokens).toBe(countTokens(smallText, 'gpt-4'));
    expect(counted.inputCostUsd).toBeCloseTo(
      costOf('gpt-4', { inputTokens: counted.tokens, outputTokens: 0 })!,
      12,
    );
  });

  it('counts an OpenAI messages JSON as a chat prompt with --messages', async () => {
    const result = await runGw([
      'tokens',
      join(directory, 'messages.json'),
      '--messages',
      '-m',
      'gpt-4o',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(json(result.stdout).tokens).toBe(countMessages(messages, 'gpt-4o').tokens);
  });

  it('splits a large input across threads and gets exactly the single-threaded count', async () => {
    const file = join(directory, 'large.txt');
    const parallel = json((await runGw(['tokens', file, '-m', 'gpt-4o', '--threads', '2', '--json'])).stdout);
    const single = json((await runGw(['tokens', file, '-m', 'gpt-4o', '--threads', '1', '--json'])).stdout);
    expect(parallel.threads).toBe(2);
    expect(parallel.parts).toBeGreaterThan(0);
    expect(single.threads).toBe(1);
    expect(parallel.tokens).toBe(single.tokens);
    expect(parallel.tokens).toBe(countTokens(largeText, 'gpt-4o'));
  });

  it('marks models without a public tokenizer as estimated and says when no price is known', async () => {
    const result = await runGw(['tokens', '-', '--model', 'my-local-llama'], { input: 'hello there' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('estimated');
    expect(result.stdout).toContain('no price known for my-local-llama');
  });

  it('exits 2 on a missing file', async () => {
    const result = await runGw(['tokens', join(directory, 'absent.txt'), '-m', 'gpt-4o']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('File not found');
  });

  it('exits 2 when --messages input is not a messages array', async () => {
    const result = await runGw([
      'tokens',
      join(directory, 'not-messages.json'),
      '--messages',
      '-m',
      'gpt-4o',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"messages" array');
  });

  it('exits 2 when a --messages entry has the wrong shape, naming the field', async () => {
    const result = await runGw(['tokens', '-', '--messages', '-m', 'gpt-4o'], {
      input: JSON.stringify([{ role: 'user', content: 5 }]),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('messages[0].content');
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('prints a cost below a millionth of a dollar in plain decimals, without exponent or padding zeros', async () => {
    // 2 tokens of text-embedding-3-small at $0.02 per million: $0.00000004.
    const result = await runGw(['tokens', '-', '--model', 'text-embedding-3-small'], { input: 'x\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('estimated input cost $0.00000004\n');
    // 6 tokens of gpt-4o at $2.50 per million.
    const gpt4o = await runGw(['tokens', '-', '--model', 'gpt-4o'], { input: 'How many tokens is this?\n' });
    expect(gpt4o.stdout).toContain('6 tokens');
    expect(gpt4o.stdout).toContain('estimated input cost $0.000015\n');
  });

  it('exits 2 on a bad --threads value', async () => {
    const result = await runGw(['tokens', join(directory, 'small.txt'), '-m', 'gpt-4o', '--threads', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('positive whole number');
  });
});
