import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { resolvePopulation } from '../domain/population/config';
import { renderArenaHtml } from '../harness/arena/arena-html';
import { arenaReport } from '../harness/arena/arena-report';
import { runArenaSeed, type SeedResult } from '../harness/arena/arena-world';
import { parseFocalAgents, prepareFocalAgents } from '../harness/arena/focal-agents';
import { CHROMIUM, chromiumPresent, renderedDomOf } from './fixtures/chromium';

/** The arena's page, from a small arena of built-in policies run in this process. */

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

test('the page holds the leaderboard, the balance charts (mean and every seed) and each focal agent transcript per seed, and fetches nothing', async () => {
  const { report, results } = await smallArena();
  const html = renderArenaHtml(report, results);
  assert.equal([...html.matchAll(/<tr data-agent="([^"]+)">/g)].map((match) => match[1]).sort(), ['frugal', 'spender']);
  for (const id of ['balance-mean', 'balance-seed-1', 'balance-seed-2']) assert.match(html, `<figure class="chart" id="${id}">`);
  assert.match(html, /<g class="series" data-series="bg fixed_share"><path d="M[\d. L]+"/);
  for (const agent of ['frugal', 'spender']) {
    for (const seed of ['1', '2']) assert.match(html, `<details class="transcript" data-agent="${agent}" data-seed="${seed}">`);
  }
  assert.match(html, /c1 bid_placed \{/, 'a transcript line: the cycle, the event and its data');
  assert.not.match(html, /<script[^>]+src=|<link|(src|href|url)\(?=?["']?https?:/);
  // The transcript is escaped: an event's text cannot open markup.
  const hostile = { ...results[0]!, focal: results[0]!.focal.map((record) => ({ ...record, transcript: ['c1 reasoning_trace {"content":"<script>alert(1)</script>"}'] })) };
  const escaped = renderArenaHtml(report, [hostile, results[1]!]);
  assert.not.match(escaped, '<script>alert(1)');
  assert.match(escaped, '&#60;script&#62;alert(1)');
});

if (!chromiumPresent && process.env.CI === undefined) {
  console.log(`arena-html: the browser check is skipped, ${CHROMIUM} is not installed (apt-get install -y chromium); in CI it fails instead`);
} else {
  test('the page opens in chromium and its script finds the leaderboard', async () => {
    assert.ok(chromiumPresent, `${CHROMIUM} is not on the PATH: CI must install it (apt-get install -y chromium)`);
    const { report, results } = await smallArena();
    const folder = mkdtempSync(join(tmpdir(), 'arena-html-'));
    try {
      const file = join(folder, 'arena.html');
      writeFileSync(file, renderArenaHtml(report, results));
      const dom = renderedDomOf(file, folder);
      assert.match(dom, /<html lang="en" data-arena-ready="2">/);
      writeFileSync(file, renderArenaHtml(report, results).replace("document.querySelectorAll('#leaderboard tbody tr')", 'undefined.nothing'));
      assert.match(renderedDomOf(file, folder), /data-arena-error="TypeError/, 'a failing script is caught');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}

test.run();
