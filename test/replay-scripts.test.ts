import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { DomainEvent } from '../domain/economy/events';
import { totalSupply } from '../domain/economy/ledger';
import { totalSupplyFromTrace } from '../domain/economy/supply';
import type { ScriptKind } from '../harness/scenarios/scripts';
import { isFile, PROJECT_SCENARIOS_DIR, scriptFileOf } from '../harness/scenarios/companions';
import { loadScenarioDir, loadScenarioFile, type LoadedScenario } from '../harness/scenarios/constructor';
import { createRubricJudge } from '../harness/judges/rubric/rubric-judge';
import { replayScenario, type Replay } from '../harness/replay/replay';
import { loadScript } from '../harness/scenarios/scripts';
import { upstreamScenariosDir } from './fixtures/upstream-scenarios';

/**
 * The project's scripts, end to end through the actors and the rubric judge: every reference script
 * passes, every counter script fails on (at least) the checks it names, the same seed replays the same
 * trace, every event decodes and the credits recomputed from the trace match the ledger, and the
 * upstream scenario files give the same verdicts as the project's.
 */

const UPSTREAM_DIR = upstreamScenariosDir('the upstream files give the same verdicts as the project files');
const judge = createRubricJudge();
const { scenarios, errors } = loadScenarioDir(PROJECT_SCENARIOS_DIR);

async function replay(loaded: LoadedScenario, kind: ScriptKind): Promise<Replay & { expected_failures: readonly string[] }> {
  const file = scriptFileOf({ domain: loaded.scenario.domain, id: loaded.id }, kind);
  assert.ok(isFile(file), `${loaded.id} has no ${kind} script (${file})`);
  const script = loadScript(file);
  if (isLeft(script)) throw new Error(script.left.join('\n'));
  const result = await replayScenario(loaded, script.right, { seed: 1, judge });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return { ...result.right, expected_failures: script.right.value.expected_failures ?? [] };
}

const referenceRuns = new Map<string, ReturnType<typeof replay>>();

/** The project's reference run of a scenario, replayed once and shared by the tests that compare with it. */
function referenceRun(loaded: LoadedScenario): ReturnType<typeof replay> {
  const run = referenceRuns.get(loaded.id) ?? replay(loaded, 'reference');
  referenceRuns.set(loaded.id, run);
  return run;
}

/** A measured timing is the one part of a trace allowed to differ between two runs. */
function withoutTimings(trace: readonly DomainEvent[]): string {
  return trace.map((event) => JSON.stringify(event.type === 'performance_measured' ? { ...event, data: { ...event.data, samples: [] } } : event)).join('\n');
}

function failingChecks(run: Replay): string[] {
  return run.verdict.checks.filter((check) => !check.passed).map((check) => check.name);
}

function explain(run: Replay): string {
  return run.verdict.checks
    .filter((check) => !check.passed)
    .map((check) => `${check.name}: ${check.detail}`)
    .join('\n');
}

test('the project has 25 scenarios, all valid', () => {
  assert.equal(errors, []);
  assert.is(scenarios.length, 25);
});

for (const loaded of scenarios) {
  test(`${loaded.id}: the reference script passes, and replays to the same trace`, async () => {
    const first = await referenceRun(loaded);
    assert.ok(first.verdict.passed, explain(first));
    for (const event of first.trace) assert.ok(!isLeft(decodeWith(DomainEvent, event)), `${event.event_id} decodes`);
    assert.is(totalSupplyFromTrace(first.trace), totalSupply(first.ledger));
    const second = await replay(loaded, 'reference');
    assert.is(withoutTimings(second.trace), withoutTimings(first.trace));
  });

  test(`${loaded.id}: the counter script fails on the checks it targets`, async () => {
    const run = await replay(loaded, 'counter');
    assert.not.ok(run.verdict.passed, 'the counter script passed');
    assert.ok(run.expected_failures.length > 0, 'the counter script names the checks it must fail');
    const failing = failingChecks(run);
    for (const expected of run.expected_failures) assert.ok(failing.includes(expected), `${expected} should fail; failing: ${failing.join(', ')}`);
  });

  if (UPSTREAM_DIR === undefined) continue;
  test(`${loaded.id}: the upstream file gives the same verdict`, async () => {
    const upstream = loadScenarioFile(join(UPSTREAM_DIR, loaded.scenario.domain, `${loaded.id}.json`));
    if (isLeft(upstream)) throw new Error(`the upstream ${loaded.id} does not load`);
    const [project, theirs] = [await referenceRun(loaded), await replay(upstream.right, 'reference')];
    const summary = (run: Replay) => run.verdict.checks.map((check) => [check.name, check.passed]);
    assert.equal(summary(theirs), summary(project));
  });
}

test.run();
