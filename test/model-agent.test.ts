import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentModel, runAgentPath } from '../harness/model-based/agent';
import { generatePaths } from '../harness/model-based/generate';

/*
 * The agent is hand-written actor logic, so its statechart is the model's (harness/model-based/agent.ts).
 * Every transition of it is reachable: a dormant agent is only offered bidding turns (it has no open
 * bid, hence no won window), so the model gives `dormant` no executing turn to leave out.
 */

const generated = generatePaths(agentModel);

test('the generated agent paths enter every state and fire every transition', () => {
  assert.equal(generated.states.filter((state) => !generated.coveredStates.has(state)), []);
  assert.equal(generated.transitions.filter(({ id }) => !generated.covered.has(id)).map(({ id }) => id), []);
  assert.ok(generated.transitions.length >= 16, `only ${generated.transitions.length} transitions`);
});

for (const path of generated.paths) {
  test(`the real agent follows the model: ${path.description}`, () => {
    assert.equal(runAgentPath(path), []);
  });
}

test('an agent that strays from the model is reported at the step it strays', () => {
  const endTurn = generated.paths.find((path) => path.description === 'turn.started(bidding) → brain.act(end_turn)');
  const stillInTurn = generated.paths.find((path) => path.description === 'turn.started(bidding) → brain.act(reasoning)');
  assert.ok(endTurn !== undefined && stillInTurn !== undefined, 'the paths to compare are generated');
  const [started, ended] = endTurn.steps;
  const [, noted] = stillInTurn.steps;
  assert.ok(started !== undefined && ended !== undefined && noted !== undefined);
  // The brain ends its turn, but the path claims the agent is still in it, having recorded a note.
  const problems = runAgentPath({ description: 'a wrong expectation', steps: [started, { ...ended, snapshot: noted.snapshot }] });
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.is(problems[0], 'step 2 (brain.act): state: the actor has "dormant", the model {"bidding":"thinking"}');
  assert.match(problems[1] ?? '', /^step 2 \(brain\.act\): open bids, .*: the actor has \[0,0,false,1,0,0,0\], the model \[0,1,false,0,0,0,0\]$/);
});

test.run();
