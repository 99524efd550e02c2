import { nextFloat, type RandomStream } from '../../../domain/economy/random';
import { RESOURCES, type ResourceBundle } from '../../../domain/economy/resources';
import type { Prices } from '../../../domain/economy/pricing';
import { defineBrain, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../protocol';
import { bid, continueWork, END_TURN, offer, sleep, startWork, type WorkOptions } from './work';

/** Saver: sleeps while the mean price is above its ceiling or its balance below its floor; otherwise bids a share of its balance. */

export interface SaverOptions extends WorkOptions {
  readonly bundle: ResourceBundle;
  readonly budget_fraction: number;
  readonly minimum_bid: number;
  readonly price_ceiling: number;
  readonly dormancy_floor: number;
  readonly sleep_cycles: number;
}

export const DEFAULT_SAVER: SaverOptions = {
  bundle: { cpu: 0.01, memory: 0.04, tokens: 0.001, attention: 0.05, duration_seconds: 60 },
  budget_fraction: 0.04,
  minimum_bid: 1,
  price_ceiling: 1.5,
  dormancy_floor: 10,
  sleep_cycles: 5,
  prompt_bid: 2,
  completion: { prompt: 'Write down what is worth keeping.', max_tokens: 32 },
};

const meanPrice = (prices: Prices) => RESOURCES.reduce((sum, resource) => sum + prices[resource], 0) / RESOURCES.length;

function decide(random: RandomStream, prompt: BrainPrompt, options: SaverOptions): readonly [RandomStream, BrainAnswer] {
  if (prompt.type !== 'turn.started') return [random, continueWork(prompt, options)];
  if (prompt.phase === 'executing') return [random, startWork(options)];
  const { balance, prices } = prompt.observation;
  if (balance <= 0) return [random, END_TURN];
  if (meanPrice(prices) > options.price_ceiling || balance < options.dormancy_floor) return [random, sleep(options.sleep_cycles)];
  const [draw, next] = nextFloat(random);
  const amount = Math.max(options.minimum_bid, balance * options.budget_fraction * (0.5 + draw));
  return [next, bid(offer(amount, balance), options.bundle)];
}

export function saverBrain(options: SaverOptions = DEFAULT_SAVER): BrainLogic {
  return defineBrain<RandomStream>({ initial: ({ random }) => random, act: (random, prompt) => decide(random, prompt, options) });
}
