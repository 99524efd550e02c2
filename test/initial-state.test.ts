import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { left, right } from 'fp-ts/lib/Either.js';
import { DataSources, initialStateField, optionalStateField } from '../domain/benchmark/initial-state';
import type { Scenario } from '../domain/benchmark/scenario';

const scenario = {
  scenario_id: 'fc_005',
  domain: 'functional_competence',
  description: 'd',
  initial_state: { agent_balance: 100, data_sources: ['a', 'b'], bad_sources: ['a', 3] },
  validation: { success_condition: 'valid_output' },
} as Scenario;

test('a stated field decodes, whether it is required or optional', () => {
  assert.equal(initialStateField(scenario, 'data_sources', DataSources), right(['a', 'b']));
  assert.equal(optionalStateField(scenario, 'data_sources', DataSources), right(['a', 'b']));
});

test('a field that does not decode names its path, as one line or as a list', () => {
  assert.equal(initialStateField(scenario, 'bad_sources', DataSources), left('$.initial_state.bad_sources[1]: expected string, got 3'));
  assert.equal(optionalStateField(scenario, 'bad_sources', DataSources), left(['$.initial_state.bad_sources[1]: expected string, got 3']));
});

test('a missing field is a problem when required and undefined when optional', () => {
  assert.equal(initialStateField(scenario, 'data_providers', DataSources), left('$.initial_state.data_providers: expected an array of service names, got nothing'));
  assert.equal(optionalStateField(scenario, 'data_providers', DataSources), right(undefined));
});

test.run();
