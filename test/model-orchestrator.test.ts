import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatePaths } from '../harness/model-based/generate';
import { orchestratorModel, runOrchestratorPath } from '../harness/model-based/orchestrator';

/*
 * `orchestrator.halted` is reached only when the economy breaks (a winner who cannot pay, a winner no
 * longer alive), which no real scheduler reports: it clears against the balances of the living. The
 * path to it runs with a scheduler that never answers, and the runner reports the unpayable allocation.
 */

const generated = generatePaths(orchestratorModel);

test('the generated orchestrator paths enter every state and fire every transition', () => {
  assert.equal(generated.states.filter((state) => !generated.coveredStates.has(state)), []);
  assert.equal(generated.transitions.filter(({ id }) => !generated.covered.has(id)).map(({ id }) => id), []);
  assert.ok(generated.coveredStates.has('orchestrator.halted'));
});

for (const path of generated.paths) {
  test(`the real orchestrator follows the model: ${path.description}`, () => {
    assert.equal(runOrchestratorPath(path), []);
  });
}

test('a human answer out of range halts the run at the attention step, in the real orchestrator too', () => {
  const halting = generated.paths.find((path) => {
    const last = path.steps.at(-1);
    return last?.snapshot.matches('halted') === true && path.steps.some((step) => step.event.type === 'tool.request' && step.event.tool_name === 'human.prompt');
  });
  assert.ok(halting !== undefined, 'a generated path halts after the human answered a prompt');
  assert.match(halting.steps.at(-1)!.snapshot.context.error ?? '', /scores/);
  assert.equal(runOrchestratorPath(halting), []);
});

test('a scheduler answering otherwise than the model expects is reported', () => {
  const windowPath = generated.paths.find((path) => path.steps.some((step) => step.event.type === 'allocation.done' && step.event.allocations.length > 0));
  assert.ok(windowPath !== undefined, 'the path with a won window is generated');
  // The path claims the market kept its prices, as after a cycle in which nothing was won.
  const opening = windowPath.steps[0]!.snapshot.context.world.prices;
  const steps = windowPath.steps.map((step) => (step.event.type === 'market.updated' ? { ...step, event: { ...step.event, prices: opening } } : step));
  const problems = runOrchestratorPath({ description: 'prices left as they were', steps });
  assert.ok(problems.length > 0);
  assert.match(problems[0] ?? '', /^event 4 \(turn\.ended\): the answers: the actor has \[\{"type":"market\.updated","prices":\{"cpu":/);
});

test.run();
