import type { ResourceBundle } from '../../../domain/economy/resources';
import { defineBrain, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../protocol';
import { bid, continueWork, END_TURN, offer, startWork, type WorkOptions } from './work';

/** Service provider: registers its service in its first window and lives on what callers pay; bids a share of its balance for compute. */

export interface ServiceProviderOptions extends WorkOptions {
  readonly bundle: ResourceBundle;
  readonly budget_fraction: number;
  readonly minimum_bid: number;
  readonly service_name: string;
  readonly service_cost: number;
}

export const DEFAULT_SERVICE_PROVIDER: ServiceProviderOptions = {
  bundle: { cpu: 0.08, memory: 0.04, tokens: 0, attention: 0, duration_seconds: 60 },
  budget_fraction: 0.05,
  minimum_bid: 1,
  service_name: 'analysis',
  service_cost: 1,
  prompt_bid: 0,
  completion: { prompt: 'Keep the analysis models warm.', max_tokens: 16 },
};

function decide(registered: boolean, prompt: BrainPrompt, options: ServiceProviderOptions): readonly [boolean, BrainAnswer] {
  if (prompt.type !== 'turn.started') {
    return [registered, continueWork(prompt, options)];
  }
  if (prompt.phase === 'executing') {
    if (registered) return [true, startWork(options)];
    return [true, [{ kind: 'tool', tool_name: 'service.register', arguments: { service_name: options.service_name, cost: options.service_cost } }, END_TURN]];
  }
  const { balance } = prompt.observation;
  if (balance <= 0) return [registered, END_TURN];
  return [registered, bid(offer(Math.max(options.minimum_bid, balance * options.budget_fraction), balance), options.bundle)];
}

export function serviceProviderBrain(options: ServiceProviderOptions = DEFAULT_SERVICE_PROVIDER): BrainLogic {
  return defineBrain<boolean>({ initial: () => false, act: (registered, prompt) => decide(registered, prompt, options) });
}
