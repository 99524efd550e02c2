import { escapeHtml } from '../report';
import { lineChart } from './svg-line-chart';
import type { ArenaReport } from './arena-report';
import type { SeedResult } from './arena-world';

/**
 * An arena as one self-contained page (inline SVG, nothing fetched): the leaderboard with its
 * intervals, who finished above whom, each agent's holdings over the cycles (the mean over seeds, then
 * every seed), and every focal agent's transcript per seed. It reads only the report and the seeds'
 * results, so it can move onto the log viewer as it is. A small script marks the page ready, or
 * records the error, for a headless-browser check.
 */

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}h1{font-size:1.4rem}figure{margin:1.5rem 0}
figcaption{font-weight:600;margin-bottom:.3rem}.axis{stroke:#57606a}.grid{stroke:#eaeef2}.tick{font-size:11px;fill:#57606a}
.legend{font-size:12px}path{stroke-width:1.6}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:right}
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

function balanceCharts(report: ArenaReport, results: readonly SeedResult[]): string {
  const names = report.arena.agents.map(({ name }) => name);
  const groups = report.background.map(({ group }) => group);
  const length = Math.max(1, ...results.map((result) => result.cycles_run + 1));
  const cycles = Array.from({ length }, (_, index) => index);
  const meanOver = (lines: readonly (readonly number[])[]) => cycles.map((index) => lines.reduce((sum, line) => sum + line[index]!, 0) / Math.max(1, lines.length));
  const lineOf = (result: SeedResult, name: string) => result.focal.find((record) => record.agent === name)?.balance_by_cycle ?? [];
  const groupLineOf = (result: SeedResult, group: string) => result.background.find((record) => record.group === group)?.balance_by_cycle ?? [];
  const mean = lineChart('balance-mean', `Holdings over the cycles, mean of ${results.length} seed(s) (background groups: their members' mean)`, cycles, [
    ...names.map((name) => ({ name, values: meanOver(results.map((result) => padded(lineOf(result, name), length))) })),
    ...groups.map((group) => ({ name: `bg ${group}`, values: meanOver(results.map((result) => padded(groupLineOf(result, group), length))) })),
  ]);
  const perSeed = results.map((result) => {
    const seedCycles = Array.from({ length: result.cycles_run + 1 }, (_, index) => index);
    return lineChart(`balance-seed-${result.seed}`, `Seed ${result.seed}: holdings over the cycles`, seedCycles, [
      ...names.map((name) => ({ name, values: lineOf(result, name) })),
      ...groups.map((group) => ({ name: `bg ${group}`, values: groupLineOf(result, group) })),
    ]);
  });
  return `<h2>Balances</h2>${mean}<details><summary>Every seed</summary>${perSeed.join('\n')}</details>`;
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

export function renderArenaHtml(report: ArenaReport, results: readonly SeedResult[]): string {
  const bySeed = new Map(results.map((result) => [result.seed, result]));
  const ordered = report.arena.seeds.flatMap((seed) => (bySeed.has(seed) ? [bySeed.get(seed)!] : []));
  const title = `Arena of ${report.arena.agents.map(({ name }) => name).join(', ')}`;
  const background = report.arena.background.map((group) => `${group.count} ${escapeHtml(group.policy)}`).join(', ') || 'no background';
  const script = `try{document.documentElement.dataset.arenaReady=String(document.querySelectorAll('#leaderboard tbody tr').length)}catch(e){document.documentElement.dataset.arenaError=String(e)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>${ordered.length} seed(s) of ${report.arena.cycles} cycles; beside ${background}; every focal agent started with ${report.arena.balance} credits. Means over seeds with their 95% bootstrap interval; rank is among every agent of a world, 1 the best.</p>
<h2>Leaderboard</h2>${leaderboardTable(report)}
${pairwiseTable(report)}
${balanceCharts(report, ordered)}
${transcripts(report, ordered)}
<script>${script}</script></body></html>
`;
}
