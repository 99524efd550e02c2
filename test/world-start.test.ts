import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { defineBrain } from '../machines/brains/protocol';
import { traceRecorder } from '../machines/event-bus';
import { createWorld } from '../machines/world/world';
import type { AgentSetup } from '../machines/world/config';

/**
 * A world of more agents than the orchestrator starts in one step: every configured agent is alive and
 * takes its turn, in the configured order, across the groups it was started in.
 */

const AGENTS = 5_003;

/** Asks for its balance and ends its turn, so that each turn leaves one event naming its agent. */
const askingBrain = defineBrain<null>({
  initial: () => null,
  act: () => [null, [{ kind: 'tool', tool_name: 'economic.get_balance' }, { kind: 'end_turn' }]],
});

test('every agent of a population larger than one start-up group is alive and takes its turn, in order', async () => {
  const agents: AgentSetup[] = Array.from({ length: AGENTS }, (_, index) => ({ id: `a${index}`, balance: 10, brain: askingBrain }));
  const recorder = traceRecorder();
  const created = createWorld({ scenario_id: 'start', seed: 1, cycles: 1, agents }, [recorder]);
  if (isLeft(created)) throw new Error(created.left.join('\n'));
  const cycle = await created.right.runCycle();
  if (isLeft(cycle)) throw new Error(cycle.left);
  assert.is(cycle.right.alive, AGENTS);
  const turns = recorder.events.filter((event) => event.type === 'tool_call_initiated').map((event) => event.agent_id);
  assert.equal(turns, agents.map(({ id }) => id));
});

test.run();
