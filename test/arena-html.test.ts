import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import { resolvePopulation } from '../domain/population/config';
import { chromium, type Page } from 'playwright-core';
import { renderArenaHtml } from '../harness/arena/arena-html';
import { arenaReport } from '../harness/arena/arena-report';
import { runArenaSeed, type SeedResult } from '../harness/arena/arena-world';
import { parseFocalAgents, prepareFocalAgents } from '../harness/arena/focal-agents';
import { arenaPageAssets } from '../harness/view/page-bundle';
import { CHROMIUM, chromiumPath, chromiumPresent } from './fixtures/chromium';

/**
 * The arena's page, from a small arena of built-in policies run in this process: what it carries, and
 * the page opened in Debian's Chromium (driven by playwright-core, which never downloads a browser).
 */

async function smallArena() {
  const agents = parseFocalAgents(['frugal=policy:saver', 'spender=policy:random']);
  if (isLeft(agents)) throw new Error(agents.left);
  const focal = prepareFocalAgents(agents.right, { turnTimeoutMs: 1000, modelTimeoutMs: 1000 }, {});
  if (isLeft(focal)) throw new Error(focal.left);
  const population = resolvePopulation({ groups: [{ policy: 'fixed_share', count: 3, params: { prompt_bid: 2 } }] });
  const setup = { population, cycles: 4, balance: 100, focal: focal.right };
  const seeds = ['1', '2'];
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const result = await runArenaSeed(setup, seed);
    if (isLeft(result)) throw new Error(result.left);
    results.push(result.right);
  }
  const description = {
    agents: agents.right.map(({ name, text }) => ({ name, spec: text })),
    seeds,
    cycles: 4,
    balance: 100,
    population: null,
    background: [{ group: 'fixed_share', policy: 'fixed_share', count: 3 }],
    judge: null,
  };
  return { report: arenaReport(description, results), results };
}

interface ChartSpec {
  id: string;
  xs: number[];
  series: { label: string; values: (number | null)[]; emphasis?: boolean; endMark?: string }[];
}

const chartsIn = (html: string) => JSON.parse(/<script type="application\/json" id="arena-data">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, ChartSpec[]>;

test('the page carries the leaderboard, the viewer charts as data (the mean, each focal agent across seeds, every seed) and each transcript, and fetches nothing', async () => {
  const { report, results } = await smallArena();
  const html = renderArenaHtml(report, results, await arenaPageAssets());
  assert.equal([...html.matchAll(/<tr data-agent="([^"]+)">/g)].map((match) => match[1]).sort(), ['frugal', 'spender']);
  assert.match(html, 'uplot', 'the chart library is bundled into the page');
  assert.match(html, 'Content-Security-Policy');
  assert.not.match(html, /<script[^>]+src=|<link|(src|href|url)\(?=?["']?https?:/);
  const charts = chartsIn(html);
  assert.equal(Object.fromEntries(Object.entries(charts).map(([holder, specs]) => [holder, specs.map(({ id }) => id)])), {
    'charts-mean': ['balance-mean'],
    'charts-agents': ['balance-agent-frugal', 'balance-agent-spender'],
    'charts-seeds': ['balance-seed-1', 'balance-seed-2'],
  });
  for (const holder of Object.keys(charts)) assert.match(html, `<div id="${holder}"></div>`);
  const [mean] = charts['charts-mean']!;
  assert.equal(mean!.series.map(({ label, emphasis }) => [label, emphasis === true]), [['frugal', true], ['spender', true], ['bg fixed_share', false]]);
  assert.equal(mean!.xs, [0, 1, 2, 3, 4]);
  // The mean line is the mean of the seeds' lines, cycle by cycle.
  const line = (result: (typeof results)[number], agent: string) => result.focal.find((record) => record.agent === agent)!.balance_by_cycle;
  assert.equal(mean!.series[1]!.values, line(results[0]!, 'spender').map((value, cycle) => (value + line(results[1]!, 'spender')[cycle]!) / 2));
  const frugal = charts['charts-agents']![0]!;
  assert.equal(frugal.series.map(({ label }) => label), ['mean', 'seed 1', 'seed 2']);
  assert.equal(frugal.series[2]!.values, line(results[1]!, 'frugal'));
  for (const agent of ['frugal', 'spender']) {
    for (const seed of ['1', '2']) assert.match(html, `<details class="transcript" data-agent="${agent}" data-seed="${seed}">`);
  }
  assert.match(html, /c1 bid_placed \{/, 'a transcript line: the cycle, the event and its data');
});

test("a dead agent's line ends where it died, marked; the transcript and the chart data cannot open markup", async () => {
  const { report, results } = await smallArena();
  const assets = await arenaPageAssets();
  const died = { ...results[0]!, focal: results[0]!.focal.map((record) => (record.agent === 'spender' ? { ...record, died_at: 2 } : record)) };
  const seedChart = chartsIn(renderArenaHtml(report, [died, results[1]!], assets))['charts-seeds']![0]!;
  const spender = seedChart.series.find(({ label }) => label === 'spender')!;
  assert.equal(spender.values.slice(3), [null, null]);
  assert.is(spender.endMark, '†');
  assert.is(seedChart.series.find(({ label }) => label === 'frugal')!.endMark, undefined);
  const hostile = { ...results[0]!, focal: results[0]!.focal.map((record) => ({ ...record, transcript: ['c1 reasoning_trace {"content":"<script>alert(1)</script>"}'] })) };
  const escaped = renderArenaHtml({ ...report, background: [{ ...report.background[0]!, group: '</script><script>alert(2)' }] }, [hostile, results[1]!], assets);
  assert.not.match(escaped, '<script>alert(');
  assert.match(escaped, '&#60;script&#62;alert(1)');
});

async function withPage(body: (page: Page, errors: string[], requests: string[]) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await body(page, errors, requests);
  } finally {
    await browser.close();
  }
}

if (!chromiumPresent && process.env.CI === undefined) {
  console.log(`arena-html: the browser check is skipped, ${CHROMIUM} is not installed (apt-get install -y chromium); in CI it fails instead`);
} else {
  test('opened from disk in chromium with the network off: the leaderboard is there and every chart is drawn by uPlot, with its legend', async () => {
    assert.ok(chromiumPresent, `${CHROMIUM} is not on the PATH: CI must install it (apt-get install -y chromium)`);
    const { report, results } = await smallArena();
    const folder = mkdtempSync(join(tmpdir(), 'arena-html-'));
    try {
      const file = join(folder, 'arena.html');
      const html = renderArenaHtml(report, results, await arenaPageAssets());
      writeFileSync(file, html);
      await withPage(async (page, errors, requests) => {
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('html[data-arena-ready]');
        assert.is(await page.locator('html').getAttribute('data-arena-ready'), '5', 'five charts: the mean, two agents, two seeds');
        assert.equal(await page.locator('#leaderboard tbody tr td.name:nth-child(2)').allInnerTexts(), report.leaderboard.map(({ agent }) => agent));
        const mean = page.locator('#balance-mean');
        assert.is(await mean.locator('canvas').count(), 1);
        const box = await mean.locator('canvas').boundingBox();
        assert.ok(box !== null && box.width > 400 && box.height > 200, JSON.stringify(box));
        assert.equal((await mean.locator('.u-legend .u-series .u-label').allInnerTexts()).slice(1), ['frugal', 'spender', 'bg fixed_share']);
        assert.equal(requests, [pathToFileURL(file).href], 'the page loads nothing but itself');
        assert.equal(errors, []);
      });
      // A page whose charts cannot be drawn says so, so that the check above can fail.
      writeFileSync(file, html.replace('<div id="charts-agents"></div>', ''));
      await withPage(async (page) => {
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('html[data-arena-error]');
        assert.match((await page.locator('html').getAttribute('data-arena-error'))!, 'the page has no element #charts-agents');
        assert.is(await page.locator('html').getAttribute('data-arena-ready'), null);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}

test.run();
