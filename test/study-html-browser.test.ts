import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderStudyHtml, studyCharts } from '../harness/simulation/study-html';
import { studyPageAssets } from '../harness/view/page-bundle';
import type { CycleIndicators } from '../domain/population/metrics';
import { CHROMIUM, chromiumPresent, renderedDomOf } from './fixtures/chromium';

/**
 * The study report opened in a real browser, as the run report is (test/html-report-browser.test.ts):
 * headless chromium loads the page simulate.ts wrote, with the network off, and dumps the document
 * its script marked. Without chromium the test is skipped, except in CI, where it fails.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const renderedDom = renderedDomOf;

const page = { title: 't', rows: [], groupNames: ['a'], config: {}, plannedCycles: 5, interrupted: false };

/** A cycle's indicators with two groups, `a` and `b`, and who of each is alive. */
function row(cycle: number, aliveA: number, aliveB: number): CycleIndicators {
  const group = (alive: number) => ({ alive, mean_balance: alive === 0 ? 0 : 50 });
  const alive = aliveA + aliveB;
  return {
    cycle, alive, dormant: 0, dead: 4 - alive, bids: 0, wins: 0, rejections: 0, prompts: 0, rewards: 0, credits_total: 100, credits_burned: 1, credits_rewarded: 0, credits_endowed: 0,
    price_cpu: 1, price_memory: 1, price_tokens: 1, price_attention: 1, balance_min: 0, balance_median: 0, balance_max: 0, gini: 0, groups: { a: group(aliveA), b: group(aliveB) },
  };
}

test('the study page carries uPlot and its data inline and fetches nothing: no external script, style or image', async () => {
  const assets = await studyPageAssets();
  const html = renderStudyHtml(page, assets);
  assert.match(html, /<script type="application\/json" id="study-data">/);
  assert.match(html, 'uplot', 'the chart library is bundled into the page');
  assert.match(html, 'Content-Security-Policy');
  assert.not.match(html, /<script[^>]+src=|<link|(src|href|url)\(?=?["']?https?:/);
  assert.match(renderStudyHtml(page, assets).replace('<style>', '<link rel="stylesheet" href="x.css"><style>'), /<link/, 'the check sees a fetched stylesheet');
});

test("a dead group's lines end with null, not 0; the living group's go on", () => {
  const rows = [row(0, 2, 2), row(1, 1, 2), row(2, 0, 2), row(3, 0, 1)];
  const charts = new Map(studyCharts(rows, ['a', 'b']).map((chart) => [chart.id, chart]));
  const series = (id: string, label: string) => charts.get(id)!.series.find((line) => line.label === label)!;
  assert.equal(series('survival', 'a').values, [2, 1, 0, null], 'alive reaches 0 where the last one died, and the line ends');
  assert.is(series('survival', 'a').endMark, '†');
  assert.equal(series('survival', 'b').values, [2, 2, 2, 1]);
  assert.is(series('survival', 'b').endMark, undefined);
  assert.equal(series('group-balance', 'a').values, [50, 50, null, null], 'a mean balance of no one is no value');
  assert.equal(series('group-balance', 'b').values, [50, 50, 50, 50]);
  assert.is(charts.get('credits-flow')!.kind, 'flow', 'per-cycle flows offer a running total');
});

test('a study that stopped early says so: interrupted, or every agent dead', async () => {
  const assets = await studyPageAssets();
  const rows = [row(0, 2, 2), row(1, 1, 1), row(2, 0, 0)];
  const interrupted = renderStudyHtml({ ...page, rows, plannedCycles: 10, interrupted: true }, assets);
  assert.match(interrupted, '<p id="interrupted" class="stopped" data-cycles-run="2" data-cycles-planned="10"><strong>Interrupted</strong>');
  assert.match(interrupted, '<h1>t (interrupted)</h1>');
  const extinct = renderStudyHtml({ ...page, rows, plannedCycles: 10 }, assets);
  assert.match(extinct, /<p id="extinct" class="stopped" data-cycles-run="2" data-cycles-planned="10" data-extinct-at="2"><strong>Every agent was dead by cycle 2<\/strong>/);
  assert.not.match(extinct, 'id="interrupted"');
  const finished = renderStudyHtml({ ...page, rows: [row(0, 2, 2), row(1, 2, 2)], plannedCycles: 1 }, assets);
  assert.not.match(finished, /id="(interrupted|extinct)"/);
  assert.match(finished, '<p>1 cycles.</p>');
});

if (!chromiumPresent && process.env.CI === undefined) {
  console.log(`study-html-browser: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium); in CI this test fails instead`);
} else {
  test('chromium is installed', () => {
    assert.ok(chromiumPresent, `${CHROMIUM} is not on the PATH: CI must install it (apt-get install -y chromium)`);
  });

  test('simulate --html writes a study report that opens in chromium with its charts', () => {
    const folder = mkdtempSync(join(tmpdir(), 'study-html-'));
    try {
      const file = join(folder, 'study.html');
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'harness/simulate.ts', '--agents', '6', '--cycles', '5', '--seed', '1', '--html', file], { cwd: REPO, encoding: 'utf8' });
      assert.is(run.status, 0, run.stderr);
      const dom = renderedDom(file, folder);
      assert.not.match(dom, /data-study-error/);
      assert.match(dom, /<html lang="en" data-study-ready="8">/, 'the page script ran and drew the eight charts');
      for (const id of ['prices', 'population', 'credits-flow', 'credits-total', 'balances', 'gini', 'survival', 'group-balance']) {
        assert.match(dom, new RegExp(`<figure class="chart line-chart" id="${id}" data-series="\\d+" data-view="as is"><figcaption>[^<]+</figcaption><div class="chart-views">.*?<div class="uplot`));
      }
      assert.match(dom, /<button type="button" class="view" data-view="cumulative">running total<\/button>/, 'the flows offer their running total');
      assert.match(readFileSync(file, 'utf8'), '5 cycles.');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a page whose script fails is caught: the check reads the error mark, not a ready page', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'study-html-'));
    try {
      const file = join(folder, 'broken.html');
      const html = renderStudyHtml(page, await studyPageAssets()).replace('id="study-data">', 'id="study-data">{');
      writeFileSync(file, html);
      const dom = renderedDom(file, folder);
      assert.match(dom, /data-study-error="SyntaxError/);
      assert.not.match(dom, /data-study-ready/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}

test.run();
