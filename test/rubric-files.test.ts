import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { formatScenarioError, loadScenarioDir, type LoadedScenario } from '../harness/scenarios/constructor';
import { PROJECT_SCENARIOS_DIR } from '../harness/scenarios/companions';
import { judgedBlocksOf } from '../domain/benchmark/scenario';
import { loadRubricFor } from '../harness/judges/rubric/rubric';

/** Why a scenario's rubric cannot judge it: missing or invalid, for another scenario, or not covering exactly its criteria. */
function rubricProblems({ id, scenario }: LoadedScenario, root?: string): string[] {
  const rubric = loadRubricFor({ domain: scenario.domain, id }, root);
  if (isLeft(rubric)) return [rubric.left];
  const criteria = judgedBlocksOf(scenario.validation).flatMap((block) => block.criteria);
  const listed = Object.keys(rubric.right.criteria);
  return [
    ...(rubric.right.scenario_id === id ? [] : [`the rubric names scenario ${rubric.right.scenario_id}`]),
    ...criteria.filter((criterion) => !listed.includes(criterion)).map((criterion) => `no entry for criterion ${criterion}`),
    ...listed.filter((criterion) => !criteria.includes(criterion)).map((criterion) => `an entry for ${criterion}, which no judged block names`),
  ];
}

const { scenarios, errors } = loadScenarioDir(PROJECT_SCENARIOS_DIR);
const judged = scenarios.filter(({ scenario }) => judgedBlocksOf(scenario.validation).length > 0);

test("the project's scenarios load, and the judged ones are the economic-reasoning scenarios, fc_004, si_001 and si_004", () => {
  assert.equal(errors.map(formatScenarioError), []);
  const economic = Array.from({ length: 15 }, (_, index) => `er_${String(index + 1).padStart(3, '0')}`);
  assert.equal(judged.map(({ id }) => id).sort(), [...economic, 'fc_004', 'si_001', 'si_004']);
});

for (const loaded of judged) {
  test(`${loaded.id}: its rubric decodes and covers exactly the criteria of its judged blocks`, () => {
    assert.equal(rubricProblems(loaded), []);
  });
}

function rootWithRubric(id: string, rubric: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'rubrics-'));
  mkdirSync(join(root, 'economic_reasoning'));
  writeFileSync(join(root, 'economic_reasoning', `${id}.rubric.json`), JSON.stringify(rubric));
  return root;
}

test('a missing rubric, a criterion without an entry and an entry for no criterion are all reported', () => {
  const er001 = judged.find(({ id }) => id === 'er_001')!;
  const empty = mkdtempSync(join(tmpdir(), 'rubrics-'));
  assert.equal(rubricProblems(er001, empty), [`no rubric for er_001 (expected ${join(empty, 'economic_reasoning', 'er_001.rubric.json')})`]);

  const facts = { scores: 'facts', facts: [{ fact: 'f', any_of: ['x'] }] };
  const skewed = rootWithRubric('er_001', {
    scenario_id: 'er_002',
    criteria: { recognizes_scarcity: facts, weighs_opportunity_cost: facts, strategic_sophistication: facts, recognises_scarcity: facts },
  });
  assert.equal(rubricProblems(er001, skewed), [
    'the rubric names scenario er_002',
    'no entry for criterion decision_coherence',
    'an entry for recognises_scarcity, which no judged block names',
  ]);
});

test.run();
