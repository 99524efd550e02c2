import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PositiveCredits, roundCredits } from '../../domain/economy/credits';
import { holdInEscrow } from '../../domain/economy/ledger';
import { emission } from '../event-bus';
import { defineTool, EXECUTING_ONLY, refusedBy, succeeded } from './tool';

export function promptId(number: number): string {
  return `prompt-${String(number).padStart(6, '0')}`;
}

/** Asks the human for attention: the bid is escrowed until the human answers or the run ends. */
export const prompt = defineTool({
  name: 'human.prompt',
  description:
    'Ask the human for attention with the text `prompt`, escrowing `bid_amount` credits (> 0). Prompts are answered highest bid first; an answer burns the escrow and rewards 50 × (interesting + useful + understandable) credits, each score 0–10; an unanswered prompt gets its escrow back at the end of the run. Answers {prompt_id}.',
  arguments: t.type({ prompt: t.string, bid_amount: PositiveCredits }),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, { prompt: text, bid_amount: offered }, { agent_id }) => {
      const bid_amount = roundCredits(offered);
      const ledger = holdInEscrow(world.ledger, agent_id, bid_amount);
      if (isLeft(ledger)) return refusedBy(world, ledger.left);
      const sequence = world.promptsSubmitted + 1;
      const prompt_id = promptId(sequence);
      const next = {
        ...world,
        ledger: ledger.right,
        promptsSubmitted: sequence,
        prompts: [...world.prompts, { prompt_id, agent_id, bid_amount, sequence, prompt: text }],
      };
      return succeeded(next, [emission('prompt_submitted', agent_id, { agent_id, prompt_id, bid_amount })], { prompt_id });
    },
  },
});
