import { nextFloat, type RandomStream } from '../../domain/economy/random';
import type { ResourceBundle } from '../../domain/economy/resources';
import { defineBrain, type BrainAnswer, type BrainLogic, type BrainPrompt } from './protocol';
import { bid, continueWork, END_TURN, sleep, startWork, type WorkOptions } from './policies/work';

/**
 * A small built-in policy, so that the engine can run whole populations without a scenario: each
 * cycle it offers a share of its balance for a fixed bundle; when it falls below a floor it sleeps
 * once to wait for better prices, then spends what it has left. In a window it does one completion
 * (and, given a `prompt_bid`, hands its output in and asks the human to look at it).
 */

export interface PolicyOptions extends WorkOptions {
  readonly bundle: ResourceBundle;
  /** Share of the balance offered each cycle, varied by ±50% by the agent's own random stream. */
  readonly budget_fraction: number;
  readonly minimum_bid: number;
  readonly dormancy_floor: number;
  readonly sleep_cycles: number;
}

export const DEFAULT_POLICY: PolicyOptions = {
  bundle: { cpu: 0.02, memory: 0.02, tokens: 0.001, attention: 0, duration_seconds: 60 },
  budget_fraction: 0.05,
  minimum_bid: 1,
  dormancy_floor: 20,
  sleep_cycles: 3,
  prompt_bid: 0,
  completion: { prompt: 'Summarise the state of the market.', max_tokens: 32 },
};

interface PolicyMemory {
  readonly random: RandomStream;
  readonly hasSlept: boolean;
}

/** A share of the balance while above the floor; everything that is left once below it. */
function bidAmount(balance: number, draw: number, options: PolicyOptions): number {
  if (balance < options.dormancy_floor) return balance;
  const offer = Math.max(options.minimum_bid, balance * options.budget_fraction * (0.5 + draw));
  return Math.min(balance, Math.round(offer * 100) / 100);
}

function decide(memory: PolicyMemory, prompt: BrainPrompt, options: PolicyOptions): readonly [PolicyMemory, BrainAnswer] {
  if (prompt.type !== 'turn.started') return [memory, continueWork(prompt, options)];
  if (prompt.phase === 'executing') return [memory, startWork(options)];
  const { balance } = prompt.observation;
  if (balance < options.dormancy_floor && !memory.hasSlept) {
    return [{ random: memory.random, hasSlept: true }, sleep(options.sleep_cycles)];
  }
  if (balance <= 0) return [memory, END_TURN];
  const [draw, random] = nextFloat(memory.random);
  const amount = bidAmount(balance, draw, options);
  return [{ random, hasSlept: memory.hasSlept }, bid(amount, options.bundle)];
}

export function policyBrain(options: PolicyOptions = DEFAULT_POLICY): BrainLogic {
  return defineBrain<PolicyMemory>({
    initial: ({ random }) => ({ random, hasSlept: false }),
    act: (memory, prompt) => decide(memory, prompt, options),
  });
}
