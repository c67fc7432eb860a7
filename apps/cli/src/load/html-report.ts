// The self-contained HTML report of `gw bench --out`: summary, latency histogram and latency over time, inline SVG.
import type { HistogramBin } from './histogram.ts';
import type { LoadSample } from './run-load.ts';
import type { LoadSummary, Percentiles } from './summarize-load.ts';

export interface ReportInput {
  title: string;
  settings: Record<string, string>;
  summary: LoadSummary;
  histogram: HistogramBin[];
  samples: LoadSample[];
  generatedAt: Date;
}

/** Most points a plot draws; beyond it samples are thinned evenly so the file stays small. */
export const MAX_PLOT_POINTS = 5000;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const ms = (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '-' : `${value.toFixed(1)} ms`;

function percentileRow(label: string, values: Percentiles | null): string {
  if (!values) return `<tr><th>${label}</th><td colspan="4">-</td></tr>`;
  return `<tr><th>${label}</th><td>${ms(values.p50)}</td><td>${ms(values.p90)}</td><td>${ms(values.p99)}</td><td>${ms(values.max)}</td></tr>`;
}

const WIDTH = 900;
const HEIGHT = 300;
const PAD = { left: 60, right: 20, top: 20, bottom: 40 };

function axes(
  xLabel: string,
  yLabel: string,
  xMax: number,
  yMax: number,
  xFormat: (value: number) => string,
): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const ticks: string[] = [];
  for (let index = 0; index <= 4; index++) {
    const x = PAD.left + (plotWidth * index) / 4;
    const y = PAD.top + plotHeight - (plotHeight * index) / 4;
    ticks.push(
      `<text x="${x}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(xFormat((xMax * index) / 4))}</text>`,
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${((yMax * index) / 4).toFixed(yMax < 10 ? 1 : 0)}</text>`,
    );
  }
  return [
    `<line class="axis" x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}"/>`,
    ...ticks,
    `<text x="${PAD.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text x="14" y="${PAD.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${PAD.top + plotHeight / 2})">${escapeHtml(yLabel)}</text>`,
  ].join('');
}

export function histogramSvg(bins: readonly HistogramBin[]): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const fullest = Math.max(1, ...bins.map((bin) => bin.count));
  const lowest = bins[0]?.from ?? 0;
  const highest = bins.at(-1)?.to ?? 0;
  const barWidth = bins.length === 0 ? 0 : plotWidth / bins.length;
  const bars = bins.map((bin, index) => {
    const height = (bin.count / fullest) * plotHeight;
    return `<rect class="bar" data-count="${bin.count}" data-from="${bin.from.toFixed(3)}" data-to="${bin.to.toFixed(3)}" x="${(PAD.left + index * barWidth + 1).toFixed(2)}" y="${(PAD.top + plotHeight - height).toFixed(2)}" width="${Math.max(1, barWidth - 2).toFixed(2)}" height="${height.toFixed(2)}"><title>${bin.from.toFixed(1)}-${bin.to.toFixed(1)} ms: ${bin.count}</title></rect>`;
  });
  const span = highest - lowest;
  return `<svg id="histogram" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="latency histogram">${axes('latency (ms)', 'requests', 1, fullest, (fraction) => (lowest + span * fraction).toFixed(1))}${bars.join('')}</svg>`;
}

function thin<T>(values: readonly T[], limit: number): T[] {
  if (values.length <= limit) return [...values];
  const step = values.length / limit;
  return Array.from({ length: limit }, (_, index) => values[Math.floor(index * step)]!);
}

export function latencyPlotSvg(samples: readonly LoadSample[]): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const points = thin(samples, MAX_PLOT_POINTS);
  const xMax = Math.max(1, ...points.map((sample) => sample.startMs + sample.latencyMs)) / 1000;
  const yMax = Math.max(1, ...points.map((sample) => sample.latencyMs));
  const circles = points.map((sample) => {
    const x = PAD.left + ((sample.startMs + sample.latencyMs) / 1000 / xMax) * plotWidth;
    const y = PAD.top + plotHeight - (sample.latencyMs / yMax) * plotHeight;
    return `<circle class="point${sample.ok ? '' : ' failed'}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2"/>`;
  });
  return `<svg id="latency-over-time" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="latency over time" data-points="${points.length}">${axes('time since start (s)', 'latency (ms)', xMax, yMax, (value) => value.toFixed(1))}${circles.join('')}</svg>`;
}

export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const settings = Object.entries(input.settings)
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const errors = Object.entries(summary.errors)
    .map(([reason, count]) => `<tr><th>${escapeHtml(reason)}</th><td>${count}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
th { background: #f4f4f4; text-align: left; }
svg text { font-size: 11px; fill: #444; }
.axis { stroke: #888; }
.bar { fill: #3b7dd8; }
.point { fill: #3b7dd8; opacity: 0.6; }
.point.failed { fill: #d83b3b; opacity: 0.9; }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>Generated ${escapeHtml(input.generatedAt.toISOString())}.</p>
<table>${settings}</table>
<h2>Summary</h2>
<table>
<tr><th>requests</th><td>${summary.requests}</td></tr>
<tr><th>ok</th><td>${summary.ok}</td></tr>
<tr><th>failed</th><td>${summary.failed}</td></tr>
<tr><th>requests/s</th><td>${summary.requestsPerSecond.toFixed(1)}</td></tr>
<tr><th>duration</th><td>${summary.elapsedSeconds.toFixed(2)} s</td></tr>
</table>
<table>
<tr><th></th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>
${percentileRow('latency', summary.latencyMs)}
${percentileRow('TTFT', summary.ttftMs)}
</table>
${errors ? `<h2>Errors</h2><table>${errors}</table>` : ''}
<h2>Latency histogram</h2>
${histogramSvg(input.histogram)}
<h2>Latency over time</h2>
${latencyPlotSvg(input.samples)}
</body>
</html>
`;
}
