import { judgePrompt } from '../../domain/economy/human-model';
import type { ResolvedHuman } from '../../domain/population/config';
import { randomStream } from '../../domain/economy/random';
import type { HumanResponder } from './config';

/**
 * A simulated human for population runs: each cycle it reads at most `answers_per_cycle` prompts
 * (the world offers them highest attention bid first) and rewards each from its seeded distribution
 * or lets it wait. It reads prompts in the world's order, so the same seed gives the same rewards.
 */
export function simulatedHuman(model: ResolvedHuman, seed: string): HumanResponder {
  let random = randomStream(`${seed}/human`);
  let cycle = -1;
  let read = 0;
  return (prompt) => {
    if (prompt.cycle !== cycle) {
      cycle = prompt.cycle;
      read = 0;
    }
    if (read >= model.answers_per_cycle) return undefined;
    read += 1;
    const [scores, next] = judgePrompt(model, random);
    random = next;
    return scores;
  };
}
