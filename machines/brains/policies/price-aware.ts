import { quoteBundle } from '../../../domain/economy/pricing';
import type { ResourceBundle } from '../../../domain/economy/resources';
import { defineBrain, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../protocol';
import { bid, continueWork, END_TURN, offer, startWork, type WorkOptions } from './work';

/** Price-aware bidder: offers its bundle's cost at the last clearing prices times a markup, never more than a share of its balance. */

export interface PriceAwareOptions extends WorkOptions {
  readonly bundle: ResourceBundle;
  readonly markup: number;
  /** The most of its balance it offers in one bid. */
  readonly budget_fraction: number;
  readonly minimum_bid: number;
}

export const DEFAULT_PRICE_AWARE: PriceAwareOptions = {
  bundle: { cpu: 0.05, memory: 0.01, tokens: 0.002, attention: 0.05, duration_seconds: 60 },
  markup: 1.2,
  budget_fraction: 0.2,
  minimum_bid: 0.5,
  prompt_bid: 2,
  service: 'analysis',
  completion: { prompt: 'Draft an answer to the open question.', max_tokens: 32 },
};

function decide(prompt: BrainPrompt, options: PriceAwareOptions): BrainAnswer {
  if (prompt.type !== 'turn.started') return continueWork(prompt, options);
  if (prompt.phase === 'executing') return startWork(options);
  const { balance, prices } = prompt.observation;
  if (balance <= 0) return END_TURN;
  const wanted = Math.max(options.minimum_bid, quoteBundle(prices, options.bundle) * options.markup);
  return bid(offer(Math.min(wanted, balance * options.budget_fraction), balance), options.bundle);
}

export function priceAwareBrain(options: PriceAwareOptions = DEFAULT_PRICE_AWARE): BrainLogic {
  return defineBrain<null>({ initial: () => null, act: (memory, prompt) => [memory, decide(prompt, options)] });
}
