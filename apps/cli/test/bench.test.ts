import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, runGw } from './run-gw.ts';

let upstream: MockUpstream;
let directory: string;

beforeAll(async () => {
  upstream = await startMockUpstream({
    models: {
      slow: { ttftMs: 20, chunks: 4, chunkDelayMs: 5 },
      broken: { status: 503 },
      cut: { cutAfterChunks: 1 },
      'malformed-late': { chunks: 4, malformedChunkAt: 3 },
      'error-late': { chunks: 4, streamError: { afterChunks: 2 } },
    },
  });
  directory = await mkdtemp(join(tmpdir(), 'gw-cli-bench-'));
});

afterAll(async () => {
  await upstream.close();
  await rm(directory, { recursive: true, force: true });
});

const bench = (...args: string[]): string[] => ['bench', '--url', upstream.url, '--key', 'sk-test', ...args];

describe('gw bench', () => {
  it('sends exactly --requests requests and reports throughput and latency percentiles as JSON', async () => {
    upstream.reset();
    const result = await runGw(
      bench('--model', 'gpt-4o', '--requests', '30', '--connections', '3', '--json'),
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(upstream.requests).toHaveLength(30);
    expect(summary.requests).toBe(30);
    expect(summary.ok).toBe(30);
    expect(summary.failed).toBe(0);
    expect(summary.statusCounts).toEqual({ '200': 30 });
    expect(summary.requestsPerSecond).toBeGreaterThan(0);
    const latency = summary.latencyMs;
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p90);
    expect(latency.p90).toBeLessThanOrEqual(latency.p99);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    expect(summary.ttftMs).toBeNull();
    expect(summary.histogram.reduce((sum: number, bin: { count: number }) => sum + bin.count, 0)).toBe(30);
  });

  it('measures time to first token on streams, at least the scripted TTFT', async () => {
    const result = await runGw(
      bench('--model', 'slow', '--requests', '8', '--connections', '2', '--stream', '--json'),
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.ok).toBe(8);
    expect(summary.ttftMs.min).toBeGreaterThanOrEqual(20);
    expect(summary.ttftMs.max).toBeLessThanOrEqual(summary.latencyMs.max);
    expect(summary.latencyMs.min).toBeGreaterThanOrEqual(summary.ttftMs.min);
  });

  it('counts errors by HTTP status and broken streams as failures', async () => {
    const statusRun = JSON.parse(
      (await runGw(bench('--model', 'broken', '--requests', '5', '--json'))).stdout,
    );
    expect(statusRun.failed).toBe(5);
    expect(statusRun.errors).toEqual({ 'HTTP 503': 5 });
    expect(statusRun.latencyMs).toBeNull();
    const streamRun = JSON.parse(
      (await runGw(bench('--model', 'cut', '--requests', '4', '--stream', '--json'))).stdout,
    );
    expect(streamRun.ok).toBe(0);
    expect(
      Object.values(streamRun.errors as Record<string, number>).reduce((sum, count) => sum + count, 0),
    ).toBe(4);
  });

  it('fails a stream with a malformed or error chunk after its first token, naming the reason', async () => {
    const malformed = await runGw(
      bench('--model', 'malformed-late', '--requests', '3', '--stream', '--json'),
    );
    expect(malformed.code).toBe(0);
    const malformedRun = JSON.parse(malformed.stdout);
    expect(malformedRun.ok).toBe(0);
    expect(malformedRun.errors).toEqual({ 'malformed chunk': 3 });
    const errored = JSON.parse(
      (await runGw(bench('--model', 'error-late', '--requests', '3', '--stream', '--json'))).stdout,
    );
    expect(errored.ok).toBe(0);
    expect(errored.errors).toEqual({ 'stream error event': 3 });
  });

  it('starts requests at a constant rate with --rate', async () => {
    upstream.reset();
    const result = await runGw(bench('--model', 'gpt-4o', '--rate', '20', '--requests', '6', '--json'));
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.requests).toBe(6);
    expect(summary.settings.mode).toContain('constant arrival, 20 req/s');
    expect(upstream.requests).toHaveLength(6);
    // Not a speed limit: the schedule never sends early, so the last of 6 starts at 20/s is due 250 ms after the
    // run starts, and the run cannot end before it however slow the machine is. (Arrival spacing at the upstream
    // is no such bound: a late timer sends every request then due at once, and the first arrival can be late.)
    expect(summary.elapsedSeconds).toBeGreaterThanOrEqual(0.25);
  });

  it('prints a summary table and a terminal histogram without --json', async () => {
    const result = await runGw(bench('--model', 'gpt-4o', '--requests', '12', '--connections', '2'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('requests 12  ok 12  failed 0');
    expect(result.stdout).toMatch(/latency\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+ ms/);
    expect(result.stdout).toContain('latency histogram');
    expect(result.stdout).toMatch(/ms │█/);
    // No TTY: no progress line on stderr.
    expect(result.stderr).toBe('');
  });

  it('writes a self-contained HTML report with --out', async () => {
    const file = join(directory, 'report.html');
    const result = await runGw(bench('--model', 'gpt-4o', '--requests', '10', '--out', file));
    expect(result.code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<svg id="histogram"');
    expect(html).toContain('<svg id="latency-over-time"');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
  });

  it('exits 1 when no request reaches the server', async () => {
    const dead = await closedPortUrl();
    const result = await runGw(['bench', '--url', dead, '--model', 'm', '--requests', '3']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No request reached ${dead} (ECONNREFUSED)`);
  });

  it('exits 2 when --duration and --requests are both given', async () => {
    const result = await runGw(bench('--model', 'm', '--duration', '5', '--requests', '5'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot be used with');
  });
});
