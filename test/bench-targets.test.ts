import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkTargets, TARGETS, targetsJson, targetsTable, type Target } from '../harness/bench/targets';

/** bench.ts compares its figures with the issues' targets; it measures, so nothing here is timed. */

const REPO = fileURLToPath(new URL('..', import.meta.url));

const CEILING: Target = { figure: 'cycle_ms', bound: 'at_most', value: 300, measuredBy: ['default'] };
const FLOOR: Target = { figure: 'rate', bound: 'at_least', value: 35_000, measuredBy: ['default', 'large'] };
const LARGE_ONLY: Target = { figure: 'large_ratio', bound: 'at_most', value: 1.3, measuredBy: ['large'] };
const SOME = [CEILING, FLOOR, LARGE_ONLY];

const verdicts = (figures: Record<string, number | undefined>, run: 'default' | 'large' = 'default') =>
  checkTargets(figures, run, SOME).map(({ figure, verdict }) => `${figure}: ${verdict}`);

test('a ceiling is met at or below it, not above; a floor at or above it, not below', () => {
  assert.equal(verdicts({ cycle_ms: 300, rate: 35_000 }), ['cycle_ms: met', 'rate: met']);
  assert.equal(verdicts({ cycle_ms: 120.5, rate: 90_000 }), ['cycle_ms: met', 'rate: met']);
  assert.equal(verdicts({ cycle_ms: 300.1, rate: 34_999 }), ['cycle_ms: not met', 'rate: not met']);
  assert.equal(verdicts({ cycle_ms: Infinity, rate: 0 }), ['cycle_ms: not met', 'rate: not met']);
});

test('a figure missing, or a ratio of nothing (NaN), is not measured, never met', () => {
  assert.equal(verdicts({ rate: 40_000 }), ['cycle_ms: not measured', 'rate: met']);
  assert.equal(verdicts({ cycle_ms: Number.NaN, rate: 40_000 }), ['cycle_ms: not measured', 'rate: met']);
  const [missing] = checkTargets({}, 'default', [CEILING]);
  assert.equal(missing, { figure: 'cycle_ms', measured: undefined, target: '<= 300', verdict: 'not measured' });
});

test('each run is held to the targets it measures, in the order of the targets', () => {
  assert.equal(verdicts({ cycle_ms: 1, rate: 1, large_ratio: 1 }, 'large'), ['rate: not met', 'large_ratio: met']);
  const figures = (run: 'default' | 'large' | 'sweep') => checkTargets({}, run).map(({ figure }) => figure);
  assert.equal(figures('large'), ['large_vs_small_cost', 'large_peak_rss_mb', 'create_100k_agents_ms']);
  assert.equal(figures('sweep'), ['sweep_speedup']);
  assert.equal(figures('default'), [
    'machine_events_per_agent_cycle',
    'cycle_10k_vs_floor',
    'cycle_10k_agents_ms',
    'population_vs_plain_traced',
    'metrics_vs_plain_silent',
    'agent_cycles_per_sec',
    'clearing_vs_sort',
    'peak_rss_mb',
  ]);
});

test('the table: a header, then one row a target with its columns aligned; the JSON: target and verdict by figure', () => {
  const checks = checkTargets({ cycle_ms: 5460.3, rate: 40_000 }, 'default', SOME);
  assert.equal(targetsTable(checks), [
    'figure    measured  target    verdict',
    'cycle_ms  5460.3    <= 300    not met',
    'rate      40000     >= 35000  met',
  ]);
  assert.equal(targetsTable(checkTargets({}, 'default', [CEILING])).at(-1), 'cycle_ms  -         <= 300  not measured');
  assert.equal(targetsJson(checks), { cycle_ms: { target: '<= 300', verdict: 'not met' }, rate: { target: '>= 35000', verdict: 'met' } });
});

function bench(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'harness/bench.ts', ...args], { cwd: REPO, encoding: 'utf8' });
}

test('--help names every targeted figure with its target; it measures nothing', () => {
  const { status, stdout } = bench('--help');
  assert.is(status, 0);
  for (const { figure, bound, value } of TARGETS) {
    assert.match(stdout, new RegExp(`\\n {2}${figure} +${bound === 'at_most' ? '<=' : '>='} ${value}\\b`), figure);
  }
  assert.not.match(stdout, /^machine: /m);
});

test('a flag it does not know, or --large with --sweep-speedup: one line, exit 2, nothing measured', () => {
  const unknown = bench('--largest');
  assert.equal([unknown.status, unknown.stdout, unknown.stderr], [2, '', "Unknown option '--largest' (see --help)\n"]);
  const both = bench('--large', '--sweep-speedup');
  assert.equal([both.status, both.stdout, both.stderr], [2, '', '--large and --sweep-speedup are two separate measurements: give one of them\n']);
});

test.run();
