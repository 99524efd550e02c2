import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadScenarioFile } from '../harness/scenarios/constructor';
import { renderHtmlReport } from '../harness/report/html/render';
import type { Judge } from '../harness/judges/judge';
import { replayScenario, type Replay } from '../harness/replay/replay';
import { loadScript } from '../harness/scenarios/scripts';
import { orchestratorMachine } from '../machines/orchestrator/machine';
import { CHROMIUM, chromiumPresent, renderedDomOf } from './fixtures/chromium';

/**
 * The report opened in a real browser: Debian's headless chromium loads the file, runs its script and
 * dumps the document it rendered. The page marks itself ready when its script ran, and records any
 * script error or blocked load. Without chromium the test is skipped, except in CI, where it fails.
 */

const noJudge: Judge = {
  name: 'none',
  evaluate: async () => {
    throw new Error('fc_003 has no judged block');
  },
};

async function replayed(kind: 'reference' | 'counter'): Promise<Replay> {
  const scenario = loadScenarioFile('scenarios/functional_competence/fc_003.json');
  const script = loadScript(`scenarios/functional_competence/fc_003.${kind}.script.json`);
  if (isLeft(scenario) || isLeft(script)) throw new Error(`fc_003 or its ${kind} script does not load`);
  const replay = await replayScenario(scenario.right, script.right, { seed: 1, judge: noJudge });
  if (isLeft(replay)) throw new Error(replay.left.join('\n'));
  return replay.right;
}

/** The document headless chromium rendered from `html`, after the page's own script ran. */
function renderedDom(html: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'html-report-'));
  try {
    const file = join(folder, 'report.html');
    writeFileSync(file, html);
    return renderedDomOf(file, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

if (!chromiumPresent && process.env.CI === undefined) {
  console.log(`html-report-browser: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium); in CI this test fails instead`);
} else {
  test('chromium is installed', () => {
    assert.ok(chromiumPresent, `${CHROMIUM} is not on the PATH: CI must install it (apt-get install -y chromium)`);
  });

  test('a passing and a failing scenario render in chromium with their verdicts, checks, trace, balances and machines', async () => {
    const runs = [await replayed('reference'), await replayed('counter')];
    assert.equal(runs.map((run) => run.verdict.passed), [true, false]);
    const dom = renderedDom(renderHtmlReport(runs, { machines: [orchestratorMachine] }));

    assert.match(dom, /<html lang="en" data-report-ready="2">/, 'the page script ran to its end');
    assert.not.match(dom, /data-report-error/);
    assert.match(dom, '2 scenarios: 1 passed, 1 failed');
    assert.match(dom, /<section class="scenario passed" id="scenario-1" data-scenario="fc_003">/);
    assert.match(dom, /<section class="scenario failed" id="scenario-2" data-scenario="fc_003">/);
    const [passing = '', failing = ''] = dom.split('<section').slice(1);
    assert.is(count(passing, /<tr class="check failed"/g), 0);
    assert.ok(count(failing, /<tr class="check failed"/g) > 0, 'the failing scenario shows its failing checks');
    for (const [section, run] of [[passing, runs[0]!], [failing, runs[1]!]] as const) {
      assert.is(count(section, /<tr class="check /g), run.verdict.checks.length);
      assert.is(count(section, /<g class="event[ "]/g), run.trace.length);
      assert.ok(count(section, /<g class="event matched"/g) > 0, 'events matched by rule entries are highlighted');
      assert.match(section, /<svg class="balance-chart"/);
    }
    assert.ok(count(failing, /<g class="event failing"/g) > 0, 'the events a failing check cites are marked');
    assert.match(dom, /<svg class="state-diagram" data-machine="orchestrator"/);
  });

  test('a load the page may not make is reported by the page, so the browser check can fail', () => {
    const page = renderHtmlReport([], { machines: [] }).replace('</body>', '<img src="https://example.invalid/pixel.png"></body>');
    assert.match(renderedDom(page), /data-report-error="blocked https:\/\/example.invalid\/pixel.png"/);
  });
}

test.run();
