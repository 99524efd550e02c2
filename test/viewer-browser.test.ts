import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startInspectorBridge } from '../harness/inspect/bridge';
import { LogSource } from '../harness/view/log-views';
import { startViewer } from '../harness/view/server';
import { writeViewerFile } from '../harness/view/viewer-file';
import { CHROMIUM, chromiumPath, chromiumPresent } from './fixtures/chromium';
import { END_TURN, FC_003_REPLIES, startOpenAiServer, type RecordedRequest, type ScriptedReply } from './fixtures/openai-server';

/**
 * The viewer in a real browser: Debian's Chromium, driven by playwright-core (which is given the
 * system's browser and never downloads one). A model run that failed, read as its user would: filter
 * to the failures, open one, read the model's malformed arguments and the reason they were refused
 * as text on the page, the failing check and the events it cites; a run seen while it is written;
 * the static export opened from disk with the network cut off. Each step leaves a screenshot in
 * test-output/viewer/ for a person to look at.
 */

const REPO = new URL('..', import.meta.url).pathname;
const SHOTS = join(REPO, 'test-output', 'viewer');
const API_KEY = 'sk-viewer-secret-7171';
const MALFORMED = '{"amount": 50, bundle';

/** fc_003 answered as its reference behaviour (it passes), its first answer with a text beside its call; fc_001 answered with arguments that are not JSON, every time. */
const [FIRST_BID, ...AFTER_FIRST_BID] = FC_003_REPLIES;
const FC_003: ScriptedReply[] = [{ ...(FIRST_BID as Extract<ScriptedReply, { kind: 'tools' }>), content: 'A first bid.' }, ...AFTER_FIRST_BID];
const BROKEN: ScriptedReply = { kind: 'tools', content: 'I will bid for a window.', calls: [{ name: 'market_bid', arguments: MALFORMED }] };

const isFc001 = (request: RecordedRequest) => request.body.messages.some((message) => message.content?.includes('The agent looks up its credit balance') === true);
const turnOf = (request: RecordedRequest) => request.body.messages.filter((message) => message.role === 'assistant').length;

function modelReply(request: RecordedRequest): ScriptedReply {
  return isFc001(request) ? BROKEN : (FC_003[Math.min(turnOf(request), FC_003.length - 1)] ?? END_TURN);
}

/** run.ts as a user starts it, in a process of its own, with the agent's endpoint in its environment. */
function startRun(baseURL: string, logDir: string, args: readonly string[]): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'harness/run.ts', '--agent', 'openai:test-model', '--scenario', 'fc_003', '--scenario', 'fc_001', '--log-dir', logDir, '--model-timeout', '600', ...args],
    { cwd: REPO, env: { ...process.env, AGENT_BASE_URL: baseURL, AGENT_API_KEY: API_KEY }, stdio: 'ignore' },
  );
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1))) };
}

function logIn(dir: string): string {
  const logs = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  assert.is(logs.length, 1, `one log in ${dir}`);
  return join(dir, logs[0]!);
}

async function withBrowser(body: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await body(browser);
  } finally {
    await browser.close();
  }
}

/** A page that records every script error, so that a test can require there was none. */
async function openPage(browser: Browser, offline = false): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  return { page, errors, requests };
}

/** A wall-clock duration as the page writes it. */
const DURATION = /^(\d+ ms|\d+(\.\d)? s|\d+ min \d+ s)$/;

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const ready = (page: Page, view: string) => page.waitForSelector(`html[data-viewer-ready="${view}"]`);

let work: string;
let failedLog: string;

if (!chromiumPresent && process.env.CI === undefined) {
  console.log(`viewer-browser: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium); in CI this test fails instead`);
} else {
  test.before(async () => {
    work = mkdtempSync(join(tmpdir(), 'viewer-browser-'));
    mkdirSync(SHOTS, { recursive: true });
    const server = await startOpenAiServer((_, request) => modelReply(request));
    try {
      const logs = join(work, 'failed');
      const { exited } = startRun(server.baseURL, logs, ['--epochs', '2']);
      assert.is(await exited, 1, 'the run fails: fc_001 never gets valid arguments');
      failedLog = logIn(logs);
    } finally {
      await server.close();
    }
  });

  test.after(() => rmSync(work, { recursive: true, force: true }));

  test('a failed model run: filter to the failures, open one, read the malformed arguments, why they were refused, the failing check and its events', async () => {
    const viewer = await startViewer(new LogSource(join(work, 'failed')), 0);
    try {
      await withBrowser(async (browser) => {
        const { page, errors } = await openPage(browser);
        await page.goto(viewer.url);
        await ready(page, 'runs');
        assert.match(await page.locator('tr.run-row').innerText(), /openai:test-model[\s\S]*2 × 2[\s\S]*2 \/ 4/);
        assert.match(await page.locator('tr.run-row td:last-child').innerText(), DURATION);
        await shot(page, '1-runs');

        await page.locator('tr.run-row a').click();
        await ready(page, 'run');
        assert.is(await page.locator('tr.sample-row').count(), 4);
        assert.match(await page.locator('.run-header').innerText(), /2 of 4 samples passed/);
        assert.match(await page.locator('.run-header').innerText(), /ended\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
        assert.is(await page.locator('table.samples th').last().innerText(), 'duration');
        for (const cell of await page.locator('tr.sample-row td.duration').allInnerTexts()) assert.match(cell, DURATION);
        await page.getByRole('button', { name: 'failed only' }).click();
        const failed = page.locator('tr.sample-row');
        assert.is(await failed.count(), 2);
        assert.equal(await failed.locator('td:first-child').allInnerTexts(), ['fc_001', 'fc_001']);
        assert.match(await failed.first().innerText(), /failed calls? of market_bid: invalid_arguments: not JSON/);
        await shot(page, '2-run-failures');

        await failed.first().locator('a').click();
        await ready(page, 'sample');
        const why = page.locator('.why');
        assert.ok(await why.isVisible(), 'why the sample failed is on view without any hover');
        assert.match(await why.innerText(), /Why it failed/);
        assert.match(await why.innerText(), /\d+ × market\.bid: invalid_arguments: not JSON/);

        const call = page.locator('#transcript .call.failed').first();
        assert.ok(await call.isVisible());
        const callText = await call.innerText();
        assert.ok(callText.includes(MALFORMED), `the arguments as the model wrote them are on the page: ${callText}`);
        assert.match(callText, /✗ failed/);
        assert.match(callText, /invalid_arguments: not JSON/);
        assert.match(await page.locator('#transcript').innerText(), /Cycle 1: your bidding turn\.[\s\S]*Observation: \{"agent_id":"agent_under_test"/);
        await shot(page, '3-sample');

        const failingCheck = page.locator('tr.check.failed:has(button.event-link)').first();
        const checkName = await failingCheck.getAttribute('data-check');
        assert.ok(checkName !== null && (await failingCheck.isVisible()));
        const link = failingCheck.locator('button.event-link').first();
        const position = await link.getAttribute('data-position');
        assert.ok(position !== null, `the failing check ${checkName} cites an event`);
        await link.click();
        const row = page.locator(`#event-${position}`);
        assert.ok(await row.isVisible(), 'the cited event is on view');
        assert.match((await row.getAttribute('class')) ?? '', /cited-failing/);
        assert.match((await row.getAttribute('class')) ?? '', /flash/);
        assert.ok((await row.innerText()).includes(checkName!), 'the event names the check citing it');
        await row.screenshot({ path: join(SHOTS, '4-cited-event.png') });

        assert.is(await page.locator('svg.state-diagram').count(), 3);
        assert.is(await page.locator('.balance-chart canvas').count(), 1);
        assert.not.ok((await page.content()).includes(API_KEY), 'no secret reaches the page');
        assert.is(await page.locator('html').getAttribute('data-viewer-error'), null);
        assert.equal(errors, []);
      });
    } finally {
      await viewer.close();
    }
  });

  test('the log keeps the conversation and never the API key', () => {
    const text = readFileSync(failedLog, 'utf8');
    assert.not.ok(text.includes(API_KEY));
    const sample = text.split('\n').map((line) => (line === '' ? {} : JSON.parse(line))).find((line) => line.kind === 'sample' && line.verdict.id === 'fc_001');
    assert.is(sample.transcript.kind, 'chat');
    const [system, user, assistant, tool] = sample.transcript.messages;
    assert.equal([system.role, user.role, assistant.role, tool.role], ['system', 'user', 'assistant', 'tool']);
    assert.equal(assistant.tool_calls[0], { id: assistant.tool_calls[0].id, name: 'market_bid', arguments: MALFORMED });
    assert.equal(assistant.usage, { input_tokens: 100, output_tokens: 20, total_tokens: 120 });
    assert.match(tool.content, /"result":"failure","reason":"invalid_arguments: not JSON/);
  });

  test('a run being written: the runs list and the run page show it running, then its new sample and its end', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // fc_003 runs second (one at a time, in the order of the scenario ids): its model calls wait until the page has seen the run half done.
    const server = await startOpenAiServer(async (_, request) => {
      if (!isFc001(request)) await held;
      return modelReply(request);
    });
    const logs = join(work, 'live');
    mkdirSync(logs);
    const viewer = await startViewer(new LogSource(logs), 0);
    const run = startRun(server.baseURL, logs, ['--max-concurrency', '1']);
    try {
      await withBrowser(async (browser) => {
        const { page, errors } = await openPage(browser);
        await page.goto(viewer.url);
        await ready(page, 'runs');
        await page.waitForSelector('tr.run-row.running', { timeout: 60_000 });
        await page.locator('tr.run-row a').click();
        await ready(page, 'run');
        await page.waitForFunction(() => document.querySelectorAll('tr.sample-row').length === 1, undefined, { timeout: 60_000 });
        assert.is(await page.locator('.run-header .status').innerText(), 'running');
        assert.match(await page.locator('.run-header').innerText(), /0 of 1 samples passed \(1 still to run\)/);
        await shot(page, '5-live-running');

        release();
        await page.waitForSelector('.run-header .status.finished', { timeout: 60_000 });
        assert.is(await page.locator('tr.sample-row').count(), 2);
        assert.match(await page.locator('.run-header').innerText(), /1 of 2 samples passed/);
        await shot(page, '6-live-finished');
        assert.equal(errors, []);
      });
      assert.is(await run.exited, 1);
    } finally {
      release();
      run.child.kill();
      await viewer.close();
      await server.close();
    }
  });

  test('the static export opens from disk with the network cut off, fetches nothing, and shows the same sample', async () => {
    const file = join(work, 'report.html');
    const written = await writeViewerFile(file, { logs: [failedLog], open: 'first run' });
    assert.ok(!isLeft(written), isLeft(written) ? written.left : '');
    await withBrowser(async (browser) => {
      const { page, errors, requests } = await openPage(browser, true);
      await page.goto(`file://${file}`);
      await ready(page, 'run');
      assert.is(await page.locator('tr.sample-row').count(), 4);
      await page.locator('tr.sample-row.failed a').first().click();
      await ready(page, 'sample');
      assert.ok((await page.locator('#transcript .call.failed').first().innerText()).includes(MALFORMED));
      assert.is(await page.locator('svg.state-diagram').count(), 3);
      await shot(page, '7-static-offline');
      assert.equal(requests, [`file://${file}`], 'the page loads nothing but itself');
      assert.is(await page.locator('html').getAttribute('data-viewer-error'), null);
      assert.equal(errors, []);
    });
  });

  test('runs compared: the paired differences per scenario as a uPlot chart with its intervals, its legend naming the runs', async () => {
    const scripted = join(work, 'scripted');
    const run = spawn(process.execPath, ['--import', 'tsx', 'harness/run.ts', '--scenario', 'fc_003', '--scenario', 'fc_001', '--epochs', '2', '--log-dir', scripted], { cwd: REPO, stdio: 'ignore' });
    assert.is(await new Promise((resolve) => run.on('exit', resolve)), 0, 'the reference scripts pass');
    const file = join(work, 'compare.html');
    const written = await writeViewerFile(file, { logs: [failedLog, logIn(scripted)], open: 'comparison' });
    assert.ok(!isLeft(written), isLeft(written) ? written.left : '');
    await withBrowser(async (browser) => {
      const { page, errors } = await openPage(browser, true);
      await page.goto(`file://${file}`);
      await ready(page, 'compare');
      const chart = page.locator('#interval-chart');
      assert.is(await chart.locator('canvas').count(), 1);
      assert.is(await page.locator('.interval').count(), 0, 'no CSS bars beside the chart');
      assert.match(await chart.locator('figcaption').innerText(), /95% paired-bootstrap interval/);
      const legend = chart.locator('.u-legend');
      assert.match(await legend.innerText(), /script[^−]* − openai:test-model/);
      // The model never passes fc_001 and the script always does: +1, with nothing to resample but +1.
      const over = chart.locator('.u-over');
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width * (0.6 / 3.2), box.y + box.height / 2);
      assert.match(await legend.innerText(), /fc_001[\s\S]*\+1 \[1, 1\]/);
      await page.mouse.move(box.x + box.width * (2.6 / 3.2), box.y + box.height / 2);
      assert.match(await legend.innerText(), /all scenarios[\s\S]*\+0\.5 \[/);
      await shot(page, '9-compare-intervals');
      assert.equal(errors, []);
    });
  });

  test('--inspect without a network: the bridge page says the inspector did not load, instead of staying blank', async () => {
    const bridge = await startInspectorBridge({ port: 0 });
    assert.ok(!isLeft(bridge));
    if (isLeft(bridge)) return;
    try {
      await withBrowser(async (browser) => {
        const { page } = await openPage(browser);
        // No network: every load from elsewhere than the bridge fails.
        await page.context().route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort('internetdisconnected'));
        await page.goto(bridge.right.pageUrl);
        const notice = page.locator('#offline');
        await notice.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await notice.innerText(), /The Stately inspector has not loaded\.[\s\S]*needs the\s+network[\s\S]*harness\/view\.ts/);
        await shot(page, '8-inspect-offline');
      });
    } finally {
      await bridge.right.close();
    }
  });

  test('a load the page may not make is reported on the page, so the offline check can fail', async () => {
    const file = join(work, 'report.html');
    await withBrowser(async (browser) => {
      const { page } = await openPage(browser, true);
      await page.goto(`file://${file}`);
      await ready(page, 'run');
      await page.evaluate(() => {
        const image = document.createElement('img');
        image.src = 'https://example.invalid/pixel.png';
        document.body.append(image);
      });
      await page.waitForSelector('html[data-viewer-error]');
      assert.match((await page.locator('html').getAttribute('data-viewer-error')) ?? '', /blocked https:\/\/example\.invalid\/pixel\.png/);
    });
  });
}

test.run();
