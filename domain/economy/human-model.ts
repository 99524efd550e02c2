import { nextFloat, type RandomStream } from './random';
import type { HumanScores } from './rewards';
import type { ResolvedHuman } from '../population/config';

/**
 * A simulated human's judgement, drawn from a seeded stream: a prompt it reads is rewarded with
 * probability `reward_probability`, each score being the configured mean plus a symmetric triangular
 * draw of half-width `spread`, kept within 0-10 and rounded to a tenth.
 */

function score(mean: number, spread: number, random: RandomStream): [number, RandomStream] {
  const [a, afterA] = nextFloat(random);
  const [b, afterB] = nextFloat(afterA);
  const value = Math.min(10, Math.max(0, mean + spread * (a - b)));
  return [Math.round(value * 10) / 10, afterB];
}

/** The human's verdict on one prompt it reads: scores, or undefined when it lets the prompt wait. */
export function judgePrompt(model: ResolvedHuman, random: RandomStream): [HumanScores | undefined, RandomStream] {
  const [draw, afterDraw] = nextFloat(random);
  if (draw >= model.reward_probability) return [undefined, afterDraw];
  const { mean, spread } = model.scores;
  const [interesting, r1] = score(mean, spread, afterDraw);
  const [useful, r2] = score(mean, spread, r1);
  const [understandable, r3] = score(mean, spread, r2);
  return [{ interesting, useful, understandable }, r3];
}
