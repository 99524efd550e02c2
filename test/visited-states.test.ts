import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InspectionEvent } from 'xstate';
import { watchVisitedStates } from '../harness/replay/visited-states';
import { chromium } from 'playwright-core';
import { CHROMIUM, chromiumPath, chromiumPresent } from './fixtures/chromium';

/**
 * The states a run visited: watched through XState's inspection during the replay, kept in the
 * sample's log line, and marked in the viewer's diagrams with "N of M states visited".
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(REPO, 'test-output', 'viewer');

/** An inspection event as XState reports it, of an actor of machine `machine` made with the id `id`. */
function inspected(type: '@xstate.snapshot' | '@xstate.microstep' | '@xstate.event', machine: string, id: string | undefined, value: unknown): InspectionEvent {
  return { type, actorRef: { logic: { id: machine }, id }, snapshot: { value }, event: { type: 'x' }, rootId: 'r', sourceRef: undefined, _transitions: [] } as unknown as InspectionEvent;
}

test("the watch keeps every state path of the agent under test's machines, and no other agent's", () => {
  const watch = watchVisitedStates('agent_under_test');
  watch.inspect.next!(inspected('@xstate.snapshot', 'orchestrator', undefined, 'ready'));
  watch.inspect.next!(inspected('@xstate.microstep', 'orchestrator', undefined, { cycle: 'bidding' }));
  watch.inspect.next!(inspected('@xstate.snapshot', 'agent', 'agent:agent_under_test', { bidding: 'acting' }));
  watch.inspect.next!(inspected('@xstate.snapshot', 'agent', 'agent:bg_1', 'dead'));
  watch.inspect.next!(inspected('@xstate.event', 'scheduler', 'scheduler', 'closed'));
  watch.inspect.next!(inspected('@xstate.snapshot', 'brain', 'agent:agent_under_test/brain', 'thinking'));
  assert.equal(watch.visited(), { agent: ['bidding', 'bidding.acting'], orchestrator: ['cycle', 'cycle.bidding', 'ready'] });
});

test('a run logs the states it visited per sample, and its exported viewer marks them: N of M states visited (and its balances roll)', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'visited-'));
  try {
    const html = join(folder, 'report.html');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'harness/run.ts', '--scenario', 'er_001', '--log-dir', folder, '--html', html], { cwd: REPO, encoding: 'utf8' });
    assert.is(run.status, 0, run.stderr);
    const log = readdirSync(folder).find((name) => name.endsWith('.jsonl'))!;
    const sample = readFileSync(join(folder, log), 'utf8').split('\n').filter((line) => line.includes('"kind":"sample"')).map((line) => JSON.parse(line))[0];
    const visited = sample.visited_states as Record<string, string[]>;
    assert.equal(Object.keys(visited), ['agent', 'orchestrator', 'scheduler']);
    for (const state of ['ready', 'cycle', 'cycle.bidding', 'cycle.deathCheck', 'finished']) assert.ok(visited.orchestrator!.includes(state), `orchestrator visited ${state}`);
    assert.not.ok(visited.orchestrator!.includes('halted'), 'a run that finished never halted');
    assert.ok(visited.agent!.includes('bidding.acting'), 'the agent under test acted in its bidding');
    assert.not.ok(visited.agent!.includes('dead'), 'the agent under test did not die');
    if (!chromiumPresent) {
      assert.ok(process.env.CI === undefined, `${CHROMIUM} is not installed: CI must install it`);
      return;
    }
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
    let dom: string;
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      await page.goto(`${pathToFileURL(html).href}#/run/${encodeURIComponent(log.replace(/\.jsonl$/, ''))}/sample/0`);
      await page.waitForSelector('html[data-viewer-ready="sample"]');
      dom = await page.content();
      // The balance chart is the shared line chart: its rolling mean is a click away.
      await page.locator('.balance-chart button[data-view="rolling"]').click();
      assert.is(await page.locator('.balance-chart').getAttribute('data-view'), 'rolling');
      mkdirSync(SHOTS, { recursive: true });
      await page.locator('#machines').screenshot({ path: join(SHOTS, 'visited-states.png') });
    } finally {
      await browser.close();
    }
    assert.not.match(dom, /data-viewer-error/);
    const orchestratorStates = 10;
    assert.match(dom, `data-visited="${visited.orchestrator!.length}" data-states="${orchestratorStates}">${visited.orchestrator!.length} of ${orchestratorStates} states visited<`);
    assert.match(dom, /<g class="state atomic visited" data-state="cycle\.deathCheck"/);
    assert.match(dom, /<g class="state atomic unvisited" data-state="halted"/);
    assert.match(dom, /<g class="state atomic final unvisited" data-state="dead"/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test.run();
