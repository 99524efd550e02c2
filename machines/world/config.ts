import type { Either } from 'fp-ts/lib/Either.js';
import type { Outcome } from '../../domain/economy/events';
import type { Supply } from '../../domain/economy/auction';
import type { Prices } from '../../domain/economy/pricing';
import type { BrainLogic } from '../brains/protocol';

/**
 * Everything a run is built from. Plain data apart from the pluggable parts (brains, the human, the
 * language model, the code workspace), each of which must be deterministic for the run to be.
 */

export interface AgentSetup {
  readonly id: string;
  readonly balance: number;
  readonly brain: BrainLogic;
}

export interface ServiceOffer {
  readonly provider: string;
  readonly service_name: string;
  readonly cost: number;
  /** Chance that an invocation succeeds, drawn from the provider's own seeded stream; 1 when absent. */
  readonly success_rate?: number;
  /** Scripted results, used in order before any draw. */
  readonly outcomes?: readonly Outcome[];
}

export interface PromptView {
  readonly prompt_id: string;
  readonly agent_id: string;
  readonly prompt: string;
  readonly bid_amount: number;
  readonly cycle: number;
}

/** Answers a prompt with scores ({interesting, useful, understandable}, 0-10), or undefined to leave it pending. */
export type HumanResponder = (prompt: PromptView) => unknown;

export interface Completion {
  readonly text: string;
  readonly tokens_used: number;
}

/**
 * The model `llm.complete` asks: a function of the request alone, as `echoModel` is. A window offered
 * at once is planned before it is played, its calls performed ahead, and a plan that cannot be played
 * whole is performed again a step at a time: the model may be asked the same request twice.
 */
export type LanguageModel = (request: { agent_id: string; prompt: string; max_tokens: number }) => Completion;

/** The self-improvement work surface; each call answers with a failure reason or its result. */
export interface CodeWorkspace {
  propose(request: {
    agent_id: string;
    target_module: string;
    change_description: string;
    diff?: string;
    expected_improvement?: string;
  }): Either<string, { change_id: string }>;
  apply(request: { agent_id: string; change_id: string }): Either<
    string,
    { target_module: string; tests_run?: string[]; test_results?: 'all_passed' | 'some_failed' }
  >;
  runTests(request: { agent_id: string; tests?: string[] }): Either<
    string,
    { test_results: 'all_passed' | 'some_failed'; failed_tests: string[] }
  >;
}

export interface SpawnPolicy {
  /** Credits burned to spawn a child of each model tier; a tier not listed cannot be spawned. */
  readonly costs: Readonly<Record<string, number>>;
  /** The brain a new child runs with; the parent's when absent. */
  readonly brainFor?: (request: { parent_id: string; child_id: string; model_tier: string }) => BrainLogic;
}

export interface WorldConfig {
  readonly scenario_id: string;
  readonly seed: string | number;
  readonly agents: readonly AgentSetup[];
  readonly cycles: number;
  readonly prices?: Prices;
  readonly services?: readonly ServiceOffer[];
  readonly human?: HumanResponder;
  /** Tokens an execution window may use; the won bundle's tokens fraction × 1,000,000 when absent. */
  readonly token_budget?: number;
  readonly model?: LanguageModel;
  readonly workspace?: CodeWorkspace;
  readonly spawn?: SpawnPolicy;
  /** A brain that never ends its turn is cut off after this many actions. */
  readonly max_actions_per_turn?: number;
  /** Capacity on offer in each allocation; all of every resource (1.0) when absent. */
  readonly supply?: Supply;
  /**
   * Brains of their own (a model, a process, an MCP client) think over their bidding turns at once:
   * each is prompted with its turn as the bidding begins and acts on its answer when its turn comes,
   * in order, so the trace is the one turns taken one after another give (a bidding turn's
   * observation does not change while others bid). Off by default: a scenario's trigger may tell an
   * agent of an event before its turn, which a turn announced ahead would not yet have heard.
   */
  readonly concurrent_turns?: boolean;
}

export const DEFAULT_PRICES: Prices = { cpu: 1, memory: 1, tokens: 1, attention: 1 };
export const DEFAULT_SPAWN_COSTS: Readonly<Record<string, number>> = { small: 10, medium: 50, large: 200 };
export const DEFAULT_MAX_ACTIONS_PER_TURN = 100;
export const TOKENS_PER_CAPACITY = 1_000_000;

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A deterministic stand-in model: echoes the prompt, counting about four characters a token. */
export const echoModel: LanguageModel = ({ prompt, max_tokens }) => {
  const text = `echo: ${prompt}`.slice(0, max_tokens * 4);
  return { text, tokens_used: estimateTokens(prompt) + estimateTokens(text) };
};
