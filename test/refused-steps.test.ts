import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Script } from '../harness/scenarios/scripts';
import { PROJECT_SCENARIOS_DIR, scriptFileOf } from '../harness/scenarios/companions';
import { loadScenarioDir } from '../harness/scenarios/constructor';
import { createRubricJudge } from '../harness/judges/rubric/rubric-judge';
import { replayScenario, type Replay } from '../harness/replay/replay';
import { loadScript } from '../harness/scenarios/scripts';
import type { SourceFile } from '../harness/files/json-file';
import { renderReport } from '../harness/report/report';

/**
 * A script step the world refuses (a tool it does not have, arguments that do not decode) fails the
 * scenario with a `script_step` check naming the step, the tool and the reason, in every report;
 * a call the world performs and answers with a failure (a bid above the balance) is left to the
 * scenario's own rules.
 */

const { scenarios } = loadScenarioDir(PROJECT_SCENARIOS_DIR);
const fc001 = scenarios.find((loaded) => loaded.id === 'fc_001')!;
const judge = createRubricJudge();

function projectScript(kind: 'reference' | 'counter'): SourceFile<Script> {
  const script = loadScript(scriptFileOf({ domain: 'functional_competence', id: 'fc_001' }, kind));
  if (isLeft(script)) throw new Error(script.left.join('\n'));
  return script.right;
}

async function replay(script: SourceFile<Script>): Promise<Replay> {
  const result = await replayScenario(fc001, script, { seed: 1, judge });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
}

/** The reference script with a misspelt tool at its first step and an amount in words at its third. */
function withTypos(reference: SourceFile<Script>): SourceFile<Script> {
  const [bidding, ...rest] = reference.value.turns;
  const [balance, reasoning, bid] = bidding!.actions;
  if (balance?.kind !== 'tool' || bid?.kind !== 'tool') throw new Error('the fc_001 reference script no longer starts with a balance query, a note and a bid');
  const actions = [{ ...balance, tool_name: 'economic.get_balanse' }, reasoning!, { ...bid, arguments: { ...bid.arguments, amount: 'eighty' } }];
  return { file: 'typo.script.json', value: { ...reference.value, turns: [{ ...bidding!, actions }, ...rest] } };
}

test('refused steps: a failing script_step check, first, naming each step, tool, reason and event', async () => {
  const run = await replay(withTypos(projectScript('reference')));
  assert.is(run.verdict.passed, false);
  const [first] = run.verdict.checks;
  assert.is(first!.name, 'script_step');
  assert.is(first!.passed, false);
  assert.match(first!.detail, /^typo\.script\.json: \$\.turns\[0\]\.actions\[0\] \(economic\.get_balanse\) was refused: unknown_tool — #\d+ evt-\d+; /);
  assert.match(first!.detail, /\$\.turns\[0\]\.actions\[2\] \(market\.bid\) was refused: invalid_arguments: \$\.arguments\.amount: .*"eighty" — #\d+ evt-\d+$/);
  // The scenario's own checks are still there, as they were.
  assert.ok(run.verdict.checks.some((check) => check.name === 'required_event_sequence[0]' && !check.passed));
  assert.ok(run.verdict.checks.some((check) => check.name === 'success_condition'));

  const table = renderReport([run.verdict], 'table', 'overview');
  assert.match(table, /fc_001 +functional_competence +FAIL +script_step: typo\.script\.json: \$\.turns\[0\]\.actions\[0\] \(economic\.get_balanse\) was refused: unknown_tool/);
  const json = JSON.parse(renderReport([run.verdict], 'json')) as { results: { checks: { name: string; detail: string }[] }[] };
  assert.equal(json.results[0]!.checks[0], { name: 'script_step', passed: false, detail: first!.detail });
});

test('no refused step: no script_step check; a bid the scheduler refuses is not a refused step', async () => {
  const reference = await replay(projectScript('reference'));
  assert.is(reference.verdict.passed, true);
  assert.not.ok(reference.verdict.checks.some((check) => check.name === 'script_step'));
  const counter = await replay(projectScript('counter'));
  assert.ok(counter.trace.some((event) => event.type === 'tool_call_completed' && event.data.result === 'failure'), 'the counter script makes a failing call');
  assert.not.ok(counter.verdict.checks.some((check) => check.name === 'script_step'));
});

test.run();
