import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { briefed, defineBrain, type BrainLogic } from '../machines/brains/protocol';
import { runWorld } from '../machines/world/world';

/** A brain that says, as its reasoning, what briefing its turn's observation carried. */
const reportsBriefing: BrainLogic = defineBrain<null>({
  initial: () => null,
  act: (_, prompt) => [
    null,
    prompt.type === 'turn.started'
      ? { kind: 'reasoning', content: JSON.stringify(prompt.observation.briefing ?? 'no briefing'), decision: null }
      : { kind: 'end_turn' },
  ],
});

async function statedBriefings(brain: BrainLogic): Promise<string[]> {
  const run = await runWorld({ scenario_id: 'briefing', seed: 1, cycles: 2, agents: [{ id: 'a', balance: 10, brain }] });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace.flatMap((event) => (event.type === 'reasoning_trace' ? [event.data.content] : []));
}

test('a briefed brain finds the briefing in the observation of every turn', async () => {
  const briefing = { agent_balance: 10, market_context: { price_trend: 'stable' } };
  assert.equal(await statedBriefings(briefed(reportsBriefing, briefing)), [JSON.stringify(briefing), JSON.stringify(briefing)]);
});

test('an unbriefed brain is told nothing more than the world', async () => {
  assert.equal(await statedBriefings(reportsBriefing), ['"no briefing"', '"no briefing"']);
});

test.run();
