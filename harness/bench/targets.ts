/** What issues 14 and 20 ("Engine speed", rounds one and two) ask of a 2-core development machine, and each figure's comparison with it. */

/** The invocations of `bench.ts`, each measuring its own figures. */
export type BenchRun = 'default' | 'large' | 'sweep';

export interface Target {
  readonly figure: string;
  readonly bound: 'at_most' | 'at_least';
  readonly value: number;
  readonly measuredBy: readonly BenchRun[];
}

export const TARGETS = [
  { figure: 'machine_events_per_agent_cycle', bound: 'at_most', value: 4.5, measuredBy: ['default'] },
  { figure: 'cycle_10k_vs_floor', bound: 'at_most', value: 2, measuredBy: ['default'] },
  { figure: 'cycle_10k_agents_ms', bound: 'at_most', value: 300, measuredBy: ['default'] },
  { figure: 'population_vs_plain_traced', bound: 'at_most', value: 2.5, measuredBy: ['default'] },
  { figure: 'metrics_vs_plain_silent', bound: 'at_most', value: 4, measuredBy: ['default'] },
  { figure: 'agent_cycles_per_sec', bound: 'at_least', value: 50_000, measuredBy: ['default'] },
  { figure: 'large_vs_small_cost', bound: 'at_most', value: 1.3, measuredBy: ['large'] },
  { figure: 'large_peak_rss_mb', bound: 'at_most', value: 1024, measuredBy: ['large'] },
  { figure: 'create_100k_agents_ms', bound: 'at_most', value: 3000, measuredBy: ['large'] },
  { figure: 'clearing_vs_sort', bound: 'at_most', value: 4, measuredBy: ['default'] },
  { figure: 'peak_rss_mb', bound: 'at_most', value: 1024, measuredBy: ['default'] },
  { figure: 'sweep_speedup', bound: 'at_least', value: 1.4, measuredBy: ['sweep'] },
] as const satisfies readonly Target[];

export type Verdict = 'met' | 'not met' | 'not measured';

export interface TargetCheck {
  readonly figure: string;
  readonly measured: number | undefined;
  readonly target: string;
  readonly verdict: Verdict;
}

const targetText = ({ bound, value }: Target) => `${bound === 'at_most' ? '<=' : '>='} ${value}`;

function verdict(target: Target, measured: number | undefined): Verdict {
  // A figure that could not be measured (absent, or a ratio of nothing) must not pass by default.
  if (measured === undefined || Number.isNaN(measured)) return 'not measured';
  const met = target.bound === 'at_most' ? measured <= target.value : measured >= target.value;
  return met ? 'met' : 'not met';
}

/** Each target `run` measures, in the order of `TARGETS`, beside the figure measured for it. */
export function checkTargets(figures: Readonly<Record<string, number | undefined>>, run: BenchRun, targets: readonly Target[] = TARGETS): TargetCheck[] {
  return targets
    .filter(({ measuredBy }) => measuredBy.includes(run))
    .map((target) => {
      const measured = figures[target.figure];
      return { figure: target.figure, measured, target: targetText(target), verdict: verdict(target, measured) };
    });
}

/** The checks as a table of aligned columns: figure, measured, target, verdict. */
export function targetsTable(checks: readonly TargetCheck[]): string[] {
  const rows = [['figure', 'measured', 'target', 'verdict'], ...checks.map((check) => [check.figure, check.measured === undefined ? '-' : String(check.measured), check.target, check.verdict])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
}

/** The checks for the JSON line: each figure's target and verdict. */
export function targetsJson(checks: readonly TargetCheck[]): Record<string, { target: string; verdict: Verdict }> {
  return Object.fromEntries(checks.map(({ figure, target, verdict }) => [figure, { target, verdict }]));
}

/** The targets for `--help`, one line each, with the flag of the invocation that measures them. */
export function targetsHelp(targets: readonly Target[] = TARGETS): string[] {
  const flags: Record<BenchRun, string> = { default: '', large: '--large', sweep: '--sweep-speedup' };
  const width = Math.max(...targets.map(({ figure }) => figure.length));
  return targets.map((target) => {
    const by = target.measuredBy.map((run) => flags[run]).filter((flag) => flag !== '');
    return `  ${target.figure.padEnd(width)}  ${targetText(target)}${by.length > 0 ? `  (${by.length < target.measuredBy.length ? 'also ' : ''}${by.join(', ')})` : ''}`.trimEnd();
  });
}
