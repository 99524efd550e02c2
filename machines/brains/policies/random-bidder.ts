import { nextFloat, type RandomStream } from '../../../domain/economy/random';
import type { ResourceBundle } from '../../../domain/economy/resources';
import { defineBrain, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../protocol';
import { bid, continueWork, END_TURN, offer, startWork, type WorkOptions } from './work';

/** Random bidder: bids a uniform share of its balance, from nothing to twice its budget fraction, each cycle. */

export interface RandomBidderOptions extends WorkOptions {
  readonly bundle: ResourceBundle;
  readonly budget_fraction: number;
  readonly minimum_bid: number;
}

export const DEFAULT_RANDOM_BIDDER: RandomBidderOptions = {
  bundle: { cpu: 0.03, memory: 0.03, tokens: 0.003, attention: 0.05, duration_seconds: 60 },
  budget_fraction: 0.05,
  minimum_bid: 0.5,
  prompt_bid: 1,
  completion: { prompt: 'Say something unexpected.', max_tokens: 32 },
};

function decide(random: RandomStream, prompt: BrainPrompt, options: RandomBidderOptions): readonly [RandomStream, BrainAnswer] {
  if (prompt.type !== 'turn.started') return [random, continueWork(prompt, options)];
  if (prompt.phase === 'executing') return [random, startWork(options)];
  const { balance } = prompt.observation;
  if (balance <= 0) return [random, END_TURN];
  const [draw, next] = nextFloat(random);
  const amount = Math.max(options.minimum_bid, balance * options.budget_fraction * 2 * draw);
  return [next, bid(offer(amount, balance), options.bundle)];
}

export function randomBidderBrain(options: RandomBidderOptions = DEFAULT_RANDOM_BIDDER): BrainLogic {
  return defineBrain<RandomStream>({ initial: ({ random }) => random, act: (random, prompt) => decide(random, prompt, options) });
}
