import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { DEFAULT_JUDGE_THRESHOLD, judgedBlockOf, judgedBlocksOf, Scenario } from '../domain/benchmark/scenario';

function scenarioWith(validation: Record<string, unknown>): Scenario {
  const decoded = decodeWith(Scenario, {
    scenario_id: 'er_001',
    domain: 'economic_reasoning',
    description: 'd',
    initial_state: { agent_balance: 120 },
    validation: { success_condition: 'judge_score >= threshold', ...validation },
  });
  if (isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
  return decoded.right;
}

test('judge_evaluation takes its criteria verbatim and pass_threshold as the threshold', () => {
  const scenario = scenarioWith({ judge_evaluation: { criteria: ['recognizes_scarcity', 'decision_coherence'], pass_threshold: 3.5 } });
  assert.equal(judgedBlocksOf(scenario.validation), [
    { block: 'judge_evaluation', criteria: ['recognizes_scarcity', 'decision_coherence'], threshold: 3.5 },
  ]);
});

test('judge_evaluation reads `threshold` too, and falls back to the default threshold', () => {
  const stated = scenarioWith({ judge_evaluation: { criteria: ['a'], threshold: 4 } });
  const unstated = scenarioWith({ judge_evaluation: { criteria: ['a'] } });
  assert.is(judgedBlockOf(stated.validation, 'judge_evaluation')?.threshold, 4);
  assert.is(judgedBlockOf(unstated.validation, 'judge_evaluation')?.threshold, DEFAULT_JUDGE_THRESHOLD);
});

test('output_quality names a single criterion; code_quality_check several', () => {
  const scenario = scenarioWith({
    output_quality: { type: 'llm_judge', criterion: 'summary_completeness', threshold: 3 },
    code_quality_check: { type: 'llm_judge', criteria: ['identifies_real_bottleneck', 'proposes_viable_solution'], threshold: 2.5 },
  });
  assert.equal(judgedBlocksOf(scenario.validation), [
    { block: 'output_quality', criteria: ['summary_completeness'], threshold: 3 },
    { block: 'code_quality_check', criteria: ['identifies_real_bottleneck', 'proposes_viable_solution'], threshold: 2.5 },
  ]);
});

test('a scenario without judged blocks has none', () => {
  const scenario = scenarioWith({ required_events: [{ type: 'reasoning_trace' }] });
  assert.equal(judgedBlocksOf(scenario.validation), []);
  assert.is(judgedBlockOf(scenario.validation, 'judge_evaluation'), undefined);
});

test.run();
