import { test } from 'uvu';
import { PROJECT_SCENARIOS_DIR } from '../harness/scenarios/companions';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DOMAINS } from '../domain/benchmark/scenario';
import { formatScenarioError, loadScenarioDir, scenarioFiles } from '../harness/scenarios/constructor';
import { upstreamScenariosDir } from './fixtures/upstream-scenarios';

const UPSTREAM = upstreamScenariosDir('the upstream scenario files are valid and match the project files');
const PROSE_FIELDS = ['description', 'state_description', 'expected_behavior'];
const EXPECTED_PER_DOMAIN = { functional_competence: 5, economic_reasoning: 15, self_improvement: 5 };

const folders: [string, string][] = [['project', PROJECT_SCENARIOS_DIR]];
if (UPSTREAM !== undefined) folders.push(['upstream', UPSTREAM]);

for (const [name, dir] of folders) {
  test(`every ${name} scenario is valid, 5 + 15 + 5 of them`, () => {
    const { scenarios, errors } = loadScenarioDir(dir);
    assert.equal(errors.map(formatScenarioError), []);
    assert.ok(scenarios.length >= 25);
    const perDomain = Object.fromEntries(
      DOMAINS.map((domain) => [domain, scenarios.filter((loaded) => loaded.scenario.domain === domain).length]),
    );
    assert.equal(perDomain, EXPECTED_PER_DOMAIN);
  });
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function withoutProse(scenario: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(scenario).filter(([key]) => !PROSE_FIELDS.includes(key)));
}

if (UPSTREAM !== undefined) {
  test('the project files are the upstream files, file for file, with the prose in other words', () => {
    const upstreamFiles = scenarioFiles(UPSTREAM).map((file) => relative(UPSTREAM, file));
    assert.equal(scenarioFiles(PROJECT_SCENARIOS_DIR).map((file) => relative(PROJECT_SCENARIOS_DIR, file)), upstreamFiles);
    for (const file of upstreamFiles) {
      const ours = readJson(join(PROJECT_SCENARIOS_DIR, file));
      const theirs = readJson(join(UPSTREAM, file));
      assert.equal(withoutProse(ours), withoutProse(theirs), file);
      const prose = PROSE_FIELDS.filter((key) => key in theirs);
      assert.equal(PROSE_FIELDS.filter((key) => key in ours), prose, `${file}: the same prose fields`);
      for (const key of prose) assert.is.not(ours[key], theirs[key], `${file}: ${key} is reworded`);
    }
  });

  test('the comparison notices a changed number', () => {
    const theirs = readJson(join(UPSTREAM, 'functional_competence/fc_001.json'));
    const changed = structuredClone(theirs);
    (changed.initial_state as Record<string, unknown>).agent_balance = 501;
    assert.not.equal(withoutProse(changed), withoutProse(theirs));
  });
}

test.run();
