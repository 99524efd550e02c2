import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { roundCredits, PositiveCredits } from '../../domain/credits';
import { holdInEscrow } from '../../domain/ledger';
import { emission } from '../event-bus';
import { refusedBy, succeeded, withArguments, type Tool } from './tool';

export function promptId(number: number): string {
  return `prompt-${String(number).padStart(6, '0')}`;
}

/** Asks the human for attention: the bid is escrowed until the human answers or the run ends. */
export const prompt: Tool = withArguments(
  t.type({ prompt: t.string, bid_amount: PositiveCredits }),
  (world, { prompt: text, bid_amount: offered }, { agent_id }) => {
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
);
