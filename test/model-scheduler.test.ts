import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatePaths } from '../harness/model-based/generate';
import { runSchedulerPath, schedulerModel } from '../harness/model-based/scheduler';

const generated = generatePaths(schedulerModel);

test('the generated scheduler paths fire every transition of its one state', () => {
  assert.equal(generated.states, ['scheduler.open']);
  assert.equal(generated.transitions.filter(({ id }) => !generated.covered.has(id)).map(({ id }) => id), []);
  assert.is(generated.transitions.length, 7);
});

for (const path of generated.paths) {
  test(`the real scheduler follows the model: ${path.description}`, () => {
    assert.equal(runSchedulerPath(path), []);
  });
}

test('a scheduler taking another transition than the model says is reported', () => {
  const path = generated.paths.find((each) => each.steps.length > 1);
  const [placed, refused] = path?.steps ?? [];
  assert.ok(placed !== undefined && refused !== undefined, 'a path with two bids is generated');
  // The second bid is beyond the bidder's balance: the model claims it was placed.
  const problems = runSchedulerPath({ description: 'a wrong expectation', steps: [placed, { ...refused, fired: placed.fired }] });
  assert.equal(problems, [
    'step 2 (bid.place): transitions taken: the actor has ["scheduler.open bid.place[2] -> (stays)"], the model ["scheduler.open bid.place[1] -> (stays)"]',
  ]);
});

test.run();
