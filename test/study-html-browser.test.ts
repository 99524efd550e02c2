import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderStudyHtml } from '../harness/simulation/study-html';
import { CHROMIUM, chromiumPresent, renderedDomOf } from './fixtures/chromium';

/**
 * The study report opened in a real browser, as the run report is (test/html-report-browser.test.ts):
 * headless chromium loads the page simulate.ts wrote, with the network off, and dumps the document
 * its script marked. Without chromium the test is skipped, except in CI, where it fails.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const renderedDom = renderedDomOf;

test('the study page fetches nothing: no external script, style or image', () => {
  const html = renderStudyHtml({ title: 't', rows: [], groupNames: ['a'], config: {} });
  assert.not.match(html, /<script[^>]+src=|<link|(src|href|url)\(?=?["']?https?:/);
  assert.match(renderStudyHtml({ title: 't', rows: [], groupNames: [], config: {} }).replace('<style>', '<link rel="stylesheet" href="x.css"><style>'), /<link/, 'the check sees a fetched stylesheet');
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
      assert.match(dom, /<html lang="en" data-study-ready="8">/, 'the page script ran and found the eight charts');
      assert.not.match(dom, /data-study-error/);
      for (const id of ['prices', 'population', 'credits-flow', 'credits-total', 'balances', 'gini', 'survival', 'group-balance']) {
        assert.match(dom, `<figure class="chart" id="${id}">`);
      }
      assert.match(dom, /<g class="series" data-series="attention"><path d="M[\d. L]+"/, 'a drawn price line');
      assert.match(readFileSync(file, 'utf8'), '5 cycles.');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a page whose script fails is caught: the check reads the error mark, not a ready page', () => {
    const folder = mkdtempSync(join(tmpdir(), 'study-html-'));
    try {
      const file = join(folder, 'broken.html');
      const html = renderStudyHtml({ title: 't', rows: [], groupNames: [], config: {} }).replace("document.querySelectorAll('figure.chart svg')", 'undefined.nothing');
      writeFileSync(file, html);
      const dom = renderedDom(file, folder);
      assert.match(dom, /data-study-error="TypeError/);
      assert.not.match(dom, /data-study-ready/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}

test.run();
