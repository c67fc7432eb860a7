/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGw } from './run-gw.ts';

let upstream: MockUpstream;
let directory: string;
let browser: Browser;

beforeAll(async () => {
  upstream = await startMockUpstream({
    models: { jitter: { latencyMs: 5 }, flaky: { status: 500, failFirst: 3 } },
  });
  directory = await mkdtemp(join(tmpdir(), 'gw-cli-report-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await upstream.close();
  await rm(directory, { recursive: true, force: true });
});

describe('gw bench --out report in Chromium', () => {
  it('renders a histogram whose bars hold every successful request and one plot point per request', async () => {
    const file = join(directory, 'report.html');
    const run = await runGw([
      'bench',
      '--url',
      upstream.url,
      '--key',
      'sk-test',
      '--model',
      'flaky',
      '--requests',
      '40',
      '--connections',
      '4',
      '--out',
      file,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.failed).toBe(3);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    const rendered = await page.evaluate(() => {
      const bars = Array.from(document.querySelectorAll<SVGRectElement>('#histogram rect.bar'));
      const points = Array.from(
        document.querySelectorAll<SVGCircleElement>('#latency-over-time circle.point'),
      );
      const plot = document.querySelector<SVGSVGElement>('#latency-over-time')!.getBoundingClientRect();
      return {
        bars: bars.length,
        barCounts: bars.map((bar) => Number(bar.dataset.count)),
        tallestBar: Math.max(...bars.map((bar) => bar.getBBox().height)),
        visibleBars: bars.filter((bar) => bar.getBBox().height > 0).length,
        points: points.length,
        failedPoints: points.filter((point) => point.classList.contains('failed')).length,
        pointsInsidePlot: points.filter((point) => {
          const box = point.getBoundingClientRect();
          return (
            box.width > 0 &&
            box.left >= plot.left &&
            box.right <= plot.right &&
            box.top >= plot.top &&
            box.bottom <= plot.bottom
          );
        }).length,
        barColour: bars[0] ? getComputedStyle(bars[0]).fill : '',
      };
    });
    expect(rendered.bars).toBe(30);
    expect(rendered.barCounts.reduce((sum, count) => sum + count, 0)).toBe(37);
    expect(rendered.visibleBars).toBe(rendered.barCounts.filter((count) => count > 0).length);
    expect(rendered.tallestBar).toBeGreaterThan(100);
    expect(rendered.points).toBe(40);
    expect(rendered.failedPoints).toBe(3);
    expect(rendered.pointsInsidePlot).toBe(40);
    expect(rendered.barColour).toBe('rgb(59, 125, 216)');
    // Self-contained: the page loads nothing but itself.
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});
