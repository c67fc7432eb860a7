// `gw bench`: a load test against any OpenAI-compatible endpoint, with a live progress line, a summary,
// a terminal histogram and an optional self-contained HTML report.
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { runtimeError, usageError } from '../cli-error.ts';
import { apiKey, authHeaders, endpoint } from '../gateway/endpoint.ts';
import { buildHistogram } from '../load/histogram.ts';
import { renderReport } from '../load/html-report.ts';
import { type LoadProgress, runLoad } from '../load/run-load.ts';
import { type LoadSummary, type Percentiles, summarizeLoad } from '../load/summarize-load.ts';
import { drawHistogram } from '../load/terminal-histogram.ts';
import { httpUrl, positiveInteger, positiveNumber } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io } from '../terminal.ts';
import { renderTable } from '../text-table.ts';

interface BenchOptions {
  url: string;
  model: string;
  connections: number;
  duration?: number;
  requests?: number;
  stream?: boolean;
  rate?: number;
  key?: string;
  json?: boolean;
  out?: string;
  prompt: string;
  maxTokens?: number;
  timeout: number;
}

const HISTOGRAM_BINS_TERMINAL = 12;
const HISTOGRAM_BINS_REPORT = 30;

const cell = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(1)} ms`);
const row = (label: string, values: Percentiles | null): string[] => [
  label,
  cell(values?.p50),
  cell(values?.p90),
  cell(values?.p99),
  cell(values?.max),
];

function progressLine(progress: LoadProgress): string {
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? progress.completed / seconds : 0;
  return `\r\u001b[2K  ${seconds.toFixed(1)} s  ${progress.completed} done  ${progress.inFlight} in flight  ${rate.toFixed(1)} req/s  ${progress.failed} failed`;
}

function describeRun(options: BenchOptions, url: string): Record<string, string> {
  return {
    url,
    model: options.model,
    mode:
      options.rate === undefined
        ? `closed loop, ${options.connections} connections`
        : `constant arrival, ${options.rate} req/s over up to ${options.connections} connections`,
    length: options.requests === undefined ? `${options.duration ?? 10} s` : `${options.requests} requests`,
    stream: options.stream ? 'yes' : 'no',
  };
}

function printSummary(
  io: Io,
  settings: Record<string, string>,
  summary: LoadSummary,
  histogramText: string,
): void {
  const style = createStyle(colourEnabled(io.stdout, io.env));
  const lines = [
    style.bold(`gw bench: ${settings.url}`),
    `model ${settings.model}, ${settings.mode}, ${settings.length}${settings.stream === 'yes' ? ', streaming' : ''}`,
    '',
    `requests ${summary.requests}  ok ${style.green(String(summary.ok))}  failed ${summary.failed ? style.red(String(summary.failed)) : '0'}  ${style.bold(summary.requestsPerSecond.toFixed(1))} req/s over ${summary.elapsedSeconds.toFixed(1)} s`,
    '',
    renderTable(
      ['', 'p50', 'p90', 'p99', 'max'],
      [row('latency', summary.latencyMs), row('TTFT', summary.ttftMs)],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  ];
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) {
    lines.push('', style.red('errors'), ...errors.map(([reason, count]) => `  ${reason}: ${count}`));
  }
  if (histogramText) lines.push('', style.bold('latency histogram (successful requests)'), histogramText);
  io.stdout.write(`${lines.join('\n')}\n`);
}

export function registerBenchCommand(program: Command, io: Io): void {
  program
    .command('bench')
    .description(
      'load-test an OpenAI-compatible endpoint: throughput, latency and TTFT percentiles, errors by status',
    )
    .requiredOption('--url <url>', 'gateway base URL (or the full /v1/chat/completions URL)', httpUrl)
    .requiredOption('-m, --model <model>', 'model to request')
    .option('-c, --connections <n>', 'concurrent connections', positiveInteger, 10)
    .addOption(
      new Option('-d, --duration <seconds>', 'run length (default 10)')
        .argParser(positiveNumber)
        .conflicts('requests'),
    )
    .option('-n, --requests <n>', 'stop after this many requests instead', positiveInteger)
    .option('--stream', 'request streamed answers and measure time to first token')
    .option(
      '--rate <per-second>',
      'constant arrival: start this many requests per second (open loop)',
      positiveNumber,
    )
    .option('--key <key>', 'API key sent as a bearer token (default $GW_API_KEY)')
    .option('--prompt <text>', 'user message to send', 'Say hello in one short sentence.')
    .option('--max-tokens <n>', 'max_tokens for each request', positiveInteger)
    .option('--timeout <ms>', 'per-request timeout', positiveInteger, 60_000)
    .option('--json', 'print the summary as JSON')
    .option('--out <file>', 'also write a self-contained HTML report (histogram, latency over time)')
    .addHelpText(
      'after',
      `
Latency in --rate mode counts from each request's scheduled start, so a server that falls behind shows it.
Examples:
  gw bench --url http://127.0.0.1:4000 --model demo --connections 20 --duration 30 --stream --out report.html
  gw bench --url http://127.0.0.1:4000 --model demo --rate 200 --requests 2000 --json

Exit codes: 0 the run completed (failed requests are reported, not fatal), 1 no request reached the server, 2 bad arguments.`,
    )
    .action(async (options: BenchOptions) => {
      if (options.out !== undefined && options.out.trim() === '')
        throw usageError('--out needs a file name.');
      const url = endpoint(options.url, '/v1/chat/completions');
      const body = JSON.stringify({
        model: options.model,
        messages: [{ role: 'user', content: options.prompt }],
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
        ...(options.stream ? { stream: true } : {}),
      });
      const showProgress = io.stderr.isTTY === true && !options.json;
      const outcome = await runLoad({
        url,
        headers: authHeaders(apiKey(options.key, io.env)),
        body,
        connections: options.connections,
        ...(options.requests === undefined
          ? { durationSeconds: options.duration ?? 10 }
          : { requests: options.requests }),
        ...(options.rate === undefined ? {} : { rate: options.rate }),
        stream: options.stream === true,
        timeoutMs: options.timeout,
        ...(showProgress
          ? { onProgress: (progress: LoadProgress) => io.stderr.write(progressLine(progress)) }
          : {}),
      });
      if (showProgress) io.stderr.write('\r\u001b[2K');
      const summary = summarizeLoad(outcome);
      if (summary.requests > 0 && Object.keys(summary.statusCounts).length === 0) {
        const reasons = Object.keys(summary.errors).join(', ');
        throw runtimeError(
          'GW_ERR_GATEWAY_UNREACHABLE',
          `No request reached ${new URL(url).origin} (${reasons}). Is the gateway running? Check --url.`,
        );
      }
      const okLatencies = outcome.samples.filter((sample) => sample.ok).map((sample) => sample.latencyMs);
      const settings = describeRun(options, url);
      if (options.out !== undefined) {
        const html = renderReport({
          title: `gw bench: ${options.model}`,
          settings,
          summary,
          histogram: buildHistogram(okLatencies, HISTOGRAM_BINS_REPORT),
          samples: outcome.samples,
          generatedAt: new Date(),
        });
        try {
          await writeFile(options.out, html);
        } catch (error) {
          throw usageError(
            `Cannot write the report to ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            error,
          );
        }
      }
      const terminalBins = buildHistogram(okLatencies, HISTOGRAM_BINS_TERMINAL);
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({ settings, ...summary, histogram: terminalBins, report: options.out ?? null }, null, 2)}\n`,
        );
      } else {
        printSummary(io, settings, summary, drawHistogram(terminalBins));
        if (options.out !== undefined) io.stdout.write(`\nreport written to ${options.out}\n`);
      }
    });
}
