import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { answerOrder } from '../../domain/economy/attention';
import { balanceOf, burnEscrow, releaseMany } from '../../domain/economy/ledger';
import { reward } from '../../domain/economy/rewards';
import { emission, type Emission } from '../event-bus';
import type { HumanResponder } from './config';
import type { PendingPrompt, WorldState, WorldStep } from './state';

/** The pure steps of a cycle that are not tool calls: waking, attention, deaths, the end of a run. */

/** Agents whose sleep is over wake at the start of the cycle. */
export function wakeSleepers(world: WorldState): WorldStep {
  const emissions: Emission[] = [];
  const sleepers = new Map(world.sleepers);
  for (const [agent_id, wakesAt] of world.sleepers) {
    if (wakesAt > world.cycle) continue;
    sleepers.delete(agent_id);
    emissions.push(emission('agent_awake', agent_id, { agent_id, awakened_by: 'timer', current_balance: balanceOf(world.ledger, agent_id) }));
  }
  return emissions.length === 0 ? { world, emissions } : { world: { ...world, sleepers }, emissions };
}

/**
 * The human answers pending prompts, highest attention bid first: an answered prompt's escrow is
 * burned and its scores rewarded. A prompt the human does not answer stays pending. Scores that are
 * not scores stop the run: a reward must never be guessed.
 */
export function answerPrompts(world: WorldState, human: HumanResponder | undefined): Either<string, WorldStep> {
  if (human === undefined || world.prompts.length === 0) return right({ world, emissions: [] });
  let ledger = world.ledger;
  const emissions: Emission[] = [];
  const pending: PendingPrompt[] = [];
  for (const prompt of answerOrder(world.prompts) as PendingPrompt[]) {
    const { prompt_id, agent_id, bid_amount } = prompt;
    const scores = human({ prompt_id, agent_id, prompt: prompt.prompt, bid_amount, cycle: world.cycle });
    if (scores === undefined) {
      pending.push(prompt);
      continue;
    }
    const burned = burnEscrow(ledger, agent_id, bid_amount);
    if (isLeft(burned)) return left(`cannot burn the escrow of ${prompt_id}: ${burned.left.kind}`);
    const rewarded = reward(burned.right, agent_id, scores);
    if (isLeft(rewarded)) {
      const problem = rewarded.left.kind === 'invalid_scores' ? rewarded.left.issues.join('; ') : rewarded.left.kind;
      return left(`the human's answer to ${prompt_id} is not a reward: ${problem}`);
    }
    ledger = rewarded.right.ledger;
    emissions.push(
      emission('credits_burned', agent_id, { agent_id, amount: bid_amount, reason: 'attention_bid' }),
      emission('human_reward_issued', agent_id, {
        agent_id,
        prompt_id,
        scores: rewarded.right.scores,
        credits_awarded: rewarded.right.credits,
      }),
    );
  }
  pending.sort((a, b) => a.sequence - b.sequence);
  return right({ world: { ...world, ledger, prompts: pending }, emissions });
}

/** Agents at or below zero balance die. */
export function deathsDue(world: WorldState, living: readonly string[]): { dead: string[]; emissions: Emission[] } {
  const dead = living.filter((agent_id) => balanceOf(world.ledger, agent_id) <= 0);
  const emissions = dead.map((agent_id) => emission('agent_died', agent_id, { agent_id, final_balance: balanceOf(world.ledger, agent_id) }));
  return { dead, emissions };
}

/** At the end of a run, prompts nobody answered give their escrow back. */
export function releaseUnansweredPrompts(world: WorldState): Either<string, WorldState> {
  // One copy of the ledger for all of them: a release each copied every account once per prompt.
  const released = releaseMany(world.ledger, world.prompts.map(({ agent_id, bid_amount }) => ({ agent_id, amount: bid_amount })));
  if (isLeft(released)) {
    const of = 'agent_id' in released.left ? ` (${released.left.agent_id})` : '';
    return left(`cannot release the escrow of the unanswered prompts${of}: ${released.left.kind}`);
  }
  return right({ ...world, ledger: released.right, prompts: [] });
}
