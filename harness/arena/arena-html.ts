import { escapeHtml } from '../report';
import { type LineChartSpec, type LineSeries, type PageAssets, scriptCodeSafe, scriptSafe, STATIC_POLICY } from '../view/index';
import type { ArenaReport } from './arena-report';
import type { SeedResult } from './arena-world';

/**
 * An arena as one self-contained page, drawn with the viewer's line charts (uPlot, bundled and
 * inlined with the data as the study report is, nothing fetched, so it opens offline): the
 * leaderboard with its intervals, who finished above whom, each agent's holdings over the cycles
 * (the mean over seeds, each focal agent in every seed, every seed's world), and every focal agent's
 * transcript per seed. It reads only the report and the seeds' results. The page's script
 * (view/page/arena.ts) marks it ready with the charts drawn, or records the error, for a
 * headless-browser check.
 */

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}h1{font-size:1.4rem}figure{margin:1.5rem 0}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:right}
th{text-align:left}td.name{text-align:left}pre{background:#f6f8fa;padding:1rem;overflow:auto;max-height:30rem}summary{cursor:pointer}`;

const short = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const interval = (value: { mean: number; ci95: readonly [number, number] }) => `${short(value.mean)} <small>[${short(value.ci95[0])}, ${short(value.ci95[1])}]</small>`;

function leaderboardTable(report: ArenaReport): string {
  const rows = report.leaderboard.map(
    (entry, index) =>
      `<tr data-agent="${escapeHtml(entry.agent)}"><td>${index + 1}</td><td class="name">${escapeHtml(entry.agent)}</td><td class="name">${escapeHtml(entry.spec)}</td>` +
      `<td>${interval(entry.rank)}</td><td>${interval(entry.final_balance)}</td><td>${interval(entry.credits_rewarded)}</td>` +
      `<td>${entry.spent_per_rewarded === null ? '-' : interval(entry.spent_per_rewarded)}</td><td>${interval(entry.windows_won)}</td><td>${interval(entry.cycles_survived)}</td>` +
      `<td>${entry.vs_background_best === null ? '-' : `${entry.vs_background_best.seeds_above}/${entry.seeds}`}</td>` +
      `<td>${entry.faults}</td><td>${entry.usage.model_calls}</td><td>${entry.usage.total_tokens}</td><td>${entry.cost_usd === null ? '-' : entry.cost_usd.toFixed(4)}</td></tr>`,
  );
  return (
    `<table id="leaderboard"><thead><tr><th>#</th><th>agent</th><th>spec</th><th>rank</th><th>final balance</th><th>rewarded</th><th>spent/rewarded</th>` +
    `<th>windows</th><th>survived</th><th>above ${escapeHtml(report.background_best ?? 'background')}</th><th>faults</th><th>model calls</th><th>tokens</th><th>cost USD</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function pairwiseTable(report: ArenaReport): string {
  const names = report.leaderboard.map(({ agent }) => agent);
  if (names.length < 2) return '';
  const head = names.map((name) => `<th>${escapeHtml(name)}</th>`).join('');
  const rows = names.map((a) => `<tr><th>${escapeHtml(a)}</th>${names.map((b) => `<td>${a === b ? '-' : report.pairwise[a]![b]!.toFixed(2)}</td>`).join('')}</tr>`);
  return `<h2>Head to head</h2><p>Share of seeds the row's agent finished above the column's.</p><table id="pairwise"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Each line padded with its last value to `length`: a world that ended early holds still after it. */
const padded = (values: readonly number[], length: number) => Array.from({ length }, (_, index) => values[Math.min(index, values.length - 1)] ?? 0);

const cyclesUpTo = (length: number) => Array.from({ length }, (_, index) => index);

/** Holdings by cycle as a line: after the cycle an agent died in, none (the line ends there, marked †). */
function holdings(label: string, values: readonly number[], diedAt: number | null, emphasis: boolean): LineSeries {
  return {
    label,
    values: values.map((value, cycle) => (diedAt !== null && cycle > diedAt ? null : value)),
    ...(emphasis ? { emphasis } : {}),
    ...(diedAt === null ? {} : { endMark: '†' }),
  };
}

const chart = (id: string, title: string, xs: readonly number[], series: LineSeries[]): LineChartSpec => ({ id, title, xs, xLabel: 'cycle', yLabel: 'credits', series, kind: 'level' });

/**
 * The charts, by the element of the page that holds them: every agent's mean holdings over the
 * seeds (focal agents drawn thicker, background groups as their members' mean); each focal agent's
 * holdings in every seed beside their mean; every seed's world.
 */
function arenaCharts(report: ArenaReport, results: readonly SeedResult[]): Record<string, LineChartSpec[]> {
  const names = report.arena.agents.map(({ name }) => name);
  const groups = report.background.map(({ group }) => group);
  const length = Math.max(1, ...results.map((result) => result.cycles_run + 1));
  const cycles = cyclesUpTo(length);
  const meanOver = (lines: readonly (readonly number[])[]) => cycles.map((index) => lines.reduce((sum, line) => sum + line[index]!, 0) / Math.max(1, lines.length));
  const recordOf = (result: SeedResult, name: string) => result.focal.find((record) => record.agent === name);
  const lineOf = (result: SeedResult, name: string) => recordOf(result, name)?.balance_by_cycle ?? [];
  const groupLineOf = (result: SeedResult, group: string) => result.background.find((record) => record.group === group)?.balance_by_cycle ?? [];
  const meanOf = (name: string) => meanOver(results.map((result) => padded(lineOf(result, name), length)));
  const mean = chart('balance-mean', `Holdings over the cycles, mean of ${results.length} seed(s)`, cycles, [
    ...names.map((name) => ({ label: name, values: meanOf(name), emphasis: true })),
    ...groups.map((group) => ({ label: `bg ${group}`, values: meanOver(results.map((result) => padded(groupLineOf(result, group), length))) })),
  ]);
  const byAgent = names.map((name) =>
    chart(`balance-agent-${name}`, `${name}: holdings in every seed`, cycles, [
      { label: 'mean', values: meanOf(name), emphasis: true },
      ...results.map((result) => holdings(`seed ${result.seed}`, lineOf(result, name), recordOf(result, name)?.died_at ?? null, false)),
    ]),
  );
  const bySeed = results.map((result) =>
    chart(`balance-seed-${result.seed}`, `Seed ${result.seed}: holdings over the cycles`, cyclesUpTo(result.cycles_run + 1), [
      ...names.map((name) => holdings(name, lineOf(result, name), recordOf(result, name)?.died_at ?? null, true)),
      ...groups.map((group) => ({ label: `bg ${group}`, values: groupLineOf(result, group) })),
    ]),
  );
  return { 'charts-mean': [mean], 'charts-agents': byAgent, 'charts-seeds': bySeed };
}

function transcripts(report: ArenaReport, results: readonly SeedResult[]): string {
  const sections = report.arena.agents.map(({ name }) => {
    const seeds = results.map((result) => {
      const record = result.focal.find((focal) => focal.agent === name);
      if (record === undefined) return '';
      const faults = record.fault_reasons.length === 0 ? '' : `\nfaults (${record.faults}):\n${record.fault_reasons.join('\n')}`;
      const omitted = record.transcript_omitted === 0 ? '' : `\n… ${record.transcript_omitted} more event(s) not shown`;
      return (
        `<details class="transcript" data-agent="${escapeHtml(name)}" data-seed="${escapeHtml(result.seed)}"><summary>seed ${escapeHtml(result.seed)}: rank ${record.rank} of ${result.agents}, ` +
        `final balance ${short(record.final_balance)}${record.died_at === null ? '' : `, died in cycle ${record.died_at}`}</summary>` +
        `<pre>${escapeHtml(record.transcript.join('\n') + omitted + faults)}</pre></details>`
      );
    });
    return `<h3>${escapeHtml(name)}</h3>${seeds.join('')}`;
  });
  return `<h2>Transcripts</h2>${sections.join('')}`;
}

export function renderArenaHtml(report: ArenaReport, results: readonly SeedResult[], assets: PageAssets): string {
  const bySeed = new Map(results.map((result) => [result.seed, result]));
  const ordered = report.arena.seeds.flatMap((seed) => (bySeed.has(seed) ? [bySeed.get(seed)!] : []));
  const title = `Arena of ${report.arena.agents.map(({ name }) => name).join(', ')}`;
  const background = report.arena.background.map((group) => `${group.count} ${escapeHtml(group.policy)}`).join(', ') || 'no background';
  const rewards = report.arena.judge === null ? "the study's human model" : `the ${escapeHtml(report.arena.judge)} judge`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${STATIC_POLICY}"><title>${escapeHtml(title)}</title>
<style>${assets.style}\n${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>${ordered.length} seed(s) of ${report.arena.cycles} cycles; beside ${background}; every focal agent started with ${report.arena.balance} credits; rewards from ${rewards}. Means over seeds with their 95% bootstrap interval; rank is among every agent of a world, 1 the best.</p>
<h2>Leaderboard</h2>${leaderboardTable(report)}
${pairwiseTable(report)}
<h2>Balances</h2>
<p>Holdings are balance and escrow at the end of each cycle. Hover for the values at a cycle; click a name in the legend to hide its line. A line marked † ends where the agent died.</p>
<div id="charts-mean"></div>
<h3>Each focal agent across the seeds</h3><div id="charts-agents"></div>
<details><summary>Every seed</summary><div id="charts-seeds"></div></details>
${transcripts(report, ordered)}
<script type="application/json" id="arena-data">${scriptSafe(JSON.stringify(arenaCharts(report, ordered)))}</script>
<script>${scriptCodeSafe(assets.script)}</script></body></html>
`;
}
