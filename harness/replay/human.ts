import type { HumanScores } from '../../domain/economy/rewards';
import type { HumanResponder } from '../../machines';

/**
 * The human of a scripted run: answers the agent's prompts with the script's scores, one set per
 * prompt in the order the world asks (highest attention bid first, each cycle); once the scores run
 * out, the remaining prompts stay unanswered, as every prompt does when the script gives none. An
 * answered prompt is settled, so it is never asked about again.
 */
export function scriptedHuman(responses: readonly HumanScores[] | undefined): HumanResponder | undefined {
  if (responses === undefined || responses.length === 0) return undefined;
  let answered = 0;
  return () => {
    const next = responses[answered];
    if (next !== undefined) answered += 1;
    return next;
  };
}
