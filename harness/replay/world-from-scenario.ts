import * as t from 'io-ts';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { strictObject } from '../../domain/decode';
import { scenarioId, type Scenario } from '../../domain/scenario';
import { briefed, idleBrain, type BrainLogic } from '../../machines/brains/protocol';
import { cyclesOf, type Script } from '../../machines/script';
import { scriptedBrain } from '../../machines/brains/scripted';
import {
  DEFAULT_PRICES,
  DEFAULT_SPAWN_COSTS,
  type CodeWorkspace,
  type ServiceOffer,
  type SpawnPolicy,
  type WorldConfig,
} from '../../machines/world/config';
import { competitorsOf } from './competitors';
import { scriptedHuman } from './human';
import { serviceOffersOf } from './providers';
import { Problems, optionalStateField } from './state-field';
import { Credits } from '../../domain/credits';
import { PositiveInteger } from '../../domain/numbers';

/**
 * A scenario and a script become the configuration of a world (DESIGN.md section 5): the agent under
 * test with the scenario's balance and the script as its brain, briefed with the whole initial state
 * in every observation, so that a brain can read what the world does not model; `resource_prices` as
 * the market's starting prices (a resource not listed keeps the default); the competitors and service
 * providers the initial state describes; the script's human; `token_budget` as the tokens a window
 * may use; `model_tiers_available` at `spawn_architecture_cost_projection.spawn_cost` as the children
 * it may spawn. Children and providers are passive: the script drives only the agent under test.
 */

export const AGENT_UNDER_TEST = 'agent_under_test';

const PositivePrice = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive price');
const ResourcePrices = strictObject('ResourcePrices', {}, { cpu: PositivePrice, memory: PositivePrice, tokens: PositivePrice, attention: PositivePrice });
const ModelTiers = t.array(t.string);
const SpawnProjection = t.partial({ spawn_cost: Credits });

export interface SourceFile<A> {
  readonly file: string;
  readonly value: A;
}

export interface WorldExtras {
  readonly seed: string | number;
  readonly workspace?: CodeWorkspace;
  /**
   * What drives the agent under test in place of the script, which then only furnishes the world
   * (the human's answers, the services' outcomes); the world runs `cycles` cycles.
   */
  readonly agent?: { readonly brain: BrainLogic; readonly briefing: Readonly<Record<string, unknown>>; readonly cycles: number };
}

/** The scenario's model tiers at its stated spawn cost; the engine's default tiers when it states no cost. */
function spawnPolicyOf(tiers: readonly string[] | undefined, spawnCost: number | undefined): SpawnPolicy {
  const costs = tiers === undefined || spawnCost === undefined ? DEFAULT_SPAWN_COSTS : Object.fromEntries(tiers.map((tier) => [tier, spawnCost]));
  return { costs, brainFor: () => idleBrain };
}

/** The script's scripted outcomes, on the services they name; a name the scenario does not offer is an error. */
function withScriptedOutcomes(offers: readonly ServiceOffer[], script: Script): Either<string[], ServiceOffer[]> {
  const outcomes = script.service_outcomes ?? {};
  const offered = new Set(offers.map((offer) => offer.service_name));
  const unknown = Object.keys(outcomes).filter((name) => !offered.has(name));
  if (unknown.length > 0) {
    const known = offered.size === 0 ? 'none' : [...offered].join(', ');
    return left(unknown.map((name) => `$.service_outcomes.${name}: expected a service the scenario offers (${known}), got ${JSON.stringify(name)}`));
  }
  return right(offers.map((offer) => (Object.hasOwn(outcomes, offer.service_name) ? { ...offer, outcomes: outcomes[offer.service_name] } : offer)));
}

/** Every problem is `FILE: $.path: expected …, got …`, naming the scenario or the script file it is in. */
export function worldFromScenario(
  scenario: SourceFile<Scenario>,
  script: SourceFile<Script>,
  extras: WorldExtras,
): Either<string[], WorldConfig> {
  const inScenario = new Problems();
  const field = <A>(key: string, codec: t.Decoder<unknown, A>): A | undefined =>
    inScenario.take(optionalStateField(scenario.value, key, codec), undefined);

  const cycles = extras.agent?.cycles ?? cyclesOf(script.value);
  const prices = { ...DEFAULT_PRICES, ...field('resource_prices', ResourcePrices) };
  const token_budget = field('token_budget', PositiveInteger);
  const spawn = spawnPolicyOf(field('model_tiers_available', ModelTiers), field('spawn_architecture_cost_projection', SpawnProjection)?.spawn_cost);
  const competitors = inScenario.take(competitorsOf(scenario.value, cycles), []);
  const offers = inScenario.take(serviceOffersOf(scenario.value), []);

  const inScript = new Problems();
  const services = inScript.take(withScriptedOutcomes(offers, script.value), []);

  const problems = [
    ...inScenario.list.map((problem) => `${scenario.file}: ${problem}`),
    ...inScript.list.map((problem) => `${script.file}: ${problem}`),
  ];
  if (problems.length > 0) return left(problems);
  return right({
    scenario_id: scenarioId(scenario.value),
    seed: extras.seed,
    agents: [
      {
        id: AGENT_UNDER_TEST,
        balance: scenario.value.initial_state.agent_balance,
        brain:
          extras.agent === undefined
            ? briefed(scriptedBrain(script.value), scenario.value.initial_state)
            : briefed(extras.agent.brain, extras.agent.briefing),
      },
      ...competitors,
    ],
    cycles,
    prices,
    services,
    human: scriptedHuman(script.value.human_responses),
    token_budget,
    workspace: extras.workspace,
    spawn,
  });
}
