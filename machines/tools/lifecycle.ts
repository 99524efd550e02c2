import * as t from 'io-ts';
import { chain, isLeft } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { roundCredits, Credits } from '../../domain/economy/credits';
import { balanceOf, burn, openAccount, transfer } from '../../domain/economy/ledger';
import { emission } from '../event-bus';
import { defineTool, EXECUTING_ONLY, failed, OPEN_WHILE_BIDDING, refused, refusedBy, succeeded } from './tool';
import { PositiveInteger } from '../../domain/codec/numbers';

/**
 * Starts a child agent: the tier's spawn cost is burned and the child's initial balance moves from
 * the parent to the child's new account. The orchestrator starts the child's actor.
 */
export const spawn = defineTool({
  name: 'agent.spawn',
  description:
    "Start a child agent of the model tier `model_tier`: the tier's spawn cost is burned from your balance and `initial_balance` credits (>= 0) move from you to the child; `child_id` (optional) names it, by default <your id>-child-<n>. Answers {child_id}.",
  arguments: t.intersection([t.type({ model_tier: t.string, initial_balance: Credits }), t.partial({ child_id: t.string })]),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, args, { agent_id }, env) => {
      const spawnCost = env.spawn.costs[args.model_tier];
      if (spawnCost === undefined) {
        return refused(world, 'unknown_model_tier', { model_tier: args.model_tier, known: Object.keys(env.spawn.costs) });
      }
      const initial_balance = roundCredits(args.initial_balance);
      const spawned = world.spawned + 1;
      const child_id = args.child_id ?? `${agent_id}-child-${spawned}`;
      if (Object.hasOwn(world.ledger.balances, child_id)) return failed(world, 'agent_exists', { child_id });
      const required = roundCredits(spawnCost + initial_balance);
      const available = balanceOf(world.ledger, agent_id);
      if (required > available) return failed(world, 'insufficient_balance', { required, available });
      const ledger = pipe(
        burn(world.ledger, agent_id, spawnCost),
        chain((afterCost) => openAccount(afterCost, child_id, 0)),
        chain((withChild) => transfer(withChild, agent_id, child_id, initial_balance)),
      );
      if (isLeft(ledger)) return refusedBy(world, ledger.left);
      const { model_tier } = args;
      return {
        ...succeeded(
          { ...world, ledger: ledger.right, spawned },
          [
            emission('credits_burned', agent_id, { agent_id, amount: spawnCost, reason: 'spawn_cost' }),
            emission('agent_spawned', agent_id, { parent_id: agent_id, child_id, spawn_cost: spawnCost, model_tier, initial_balance }),
            emission('agent_created', child_id, { agent_id: child_id, initial_balance }),
          ],
          { child_id },
        ),
        spawn: { parent_id: agent_id, child_id, model_tier },
      } as const;
    },
  },
});

/** Dormancy: the agent is offered no bidding turn until `cycles` cycles have passed. */
export const sleep = defineTool({
  name: 'agent.sleep',
  description:
    'Go dormant for `cycles` cycles (a positive integer): you are offered no bidding turn until they have passed, and spend nothing meanwhile. Answers {wakes_at_cycle}.',
  arguments: t.type({ cycles: PositiveInteger }),
  phases: OPEN_WHILE_BIDDING,
  performer: {
    by: 'orchestrator',
    perform: (world, { cycles }, { agent_id }) => {
    const wakes_at_cycle = world.cycle + cycles + 1;
    const dormant = emission('agent_dormant', agent_id, {
      agent_id,
      final_balance: balanceOf(world.ledger, agent_id),
      reason: `sleeping for ${cycles} cycle${cycles === 1 ? '' : 's'}`,
    });
    return succeeded({ ...world, sleepers: new Map(world.sleepers).set(agent_id, wakes_at_cycle) }, [dormant], { wakes_at_cycle });
    },
  },
});
