import * as t from 'io-ts';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { Problems, strictObject } from '../../domain/codec/decode';
import { AGENT_UNDER_TEST, scenarioId, type Scenario } from '../../domain/benchmark/scenario';
import {
  briefed,
  type BrainLogic,
  type CodeWorkspace,
  DEFAULT_PRICES,
  DEFAULT_SPAWN_COSTS,
  idleBrain,
  scriptedBrain,
  type ServiceOffer,
  type SpawnPolicy,
  type WorldConfig,
} from '../../machines';
import { competitorsOf } from './competitors';
import { scriptedHuman } from './human';
import { serviceOffersOf } from './providers';
import { optionalStateField } from '../../domain/benchmark/initial-state';
import type { SourceFile } from '../files';
import { worldFixtureOf, type Script, type WorldFixture } from '../scenarios';
import { Credits } from '../../domain/economy/credits';
import { PositiveInteger } from '../../domain/codec/numbers';

/**
 * A scenario and the agent under test's run (its world fixture and its brain; in the benchmark both
 * come from a script) become the configuration of a world (docs/DESIGN.md section 5): the agent under test
 * with the scenario's balance and the run's brain, briefed with the whole initial state in every
 * observation, so that a brain can read what the world does not model; `resource_prices` as the
 * market's starting prices (a resource not listed keeps the default); the competitors and service
 * providers the initial state describes; the fixture's cycles, human and service outcomes;
 * `token_budget` as the tokens a window may use; `model_tiers_available` at
 * `spawn_architecture_cost_projection.spawn_cost` as the children it may spawn. Children and
 * providers are passive: the brain drives only the agent under test.
 */

const PositivePrice = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive price');
const ResourcePrices = strictObject('ResourcePrices', {}, { cpu: PositivePrice, memory: PositivePrice, tokens: PositivePrice, attention: PositivePrice });
const ModelTiers = t.array(t.string);
const SpawnProjection = t.partial({ spawn_cost: Credits });

/** The agent under test's part of a run: the fixture of its world and the brain that decides for it. */
export interface AgentUnderTestRun {
  readonly fixture: SourceFile<WorldFixture>;
  readonly brain: BrainLogic;
  /** What the agent is told of its situation in every observation; the scenario's initial state when absent. */
  readonly briefing?: Readonly<Record<string, unknown>>;
}

/** A script as the agent under test's whole run: its world fixture and its turns as the brain. */
export function scriptedRun(script: SourceFile<Script>): AgentUnderTestRun {
  return { fixture: { file: script.file, value: worldFixtureOf(script.value) }, brain: scriptedBrain(script.value) };
}

export interface WorldExtras {
  readonly seed: string | number;
  readonly workspace?: CodeWorkspace;
}

/** The scenario's model tiers at its stated spawn cost; the engine's default tiers when it states no cost. */
function spawnPolicyOf(tiers: readonly string[] | undefined, spawnCost: number | undefined): SpawnPolicy {
  const costs = tiers === undefined || spawnCost === undefined ? DEFAULT_SPAWN_COSTS : Object.fromEntries(tiers.map((tier) => [tier, spawnCost]));
  return { costs, brainFor: () => idleBrain };
}

/** The fixture's scripted outcomes, on the services they name; a name the scenario does not offer is an error. */
function withScriptedOutcomes(offers: readonly ServiceOffer[], fixture: WorldFixture): Either<string[], ServiceOffer[]> {
  const outcomes = fixture.service_outcomes ?? {};
  const offered = new Set(offers.map((offer) => offer.service_name));
  const unknown = Object.keys(outcomes).filter((name) => !offered.has(name));
  if (unknown.length > 0) {
    const known = offered.size === 0 ? 'none' : [...offered].join(', ');
    return left(unknown.map((name) => `$.service_outcomes.${name}: expected a service the scenario offers (${known}), got ${JSON.stringify(name)}`));
  }
  return right(offers.map((offer) => (Object.hasOwn(outcomes, offer.service_name) ? { ...offer, outcomes: outcomes[offer.service_name] } : offer)));
}

/** Every problem is `FILE: $.path: expected …, got …`, naming the scenario or the fixture's file it is in. */
export function worldFromScenario(
  scenario: SourceFile<Scenario>,
  { fixture, brain, briefing }: AgentUnderTestRun,
  extras: WorldExtras,
): Either<string[], WorldConfig> {
  const inScenario = new Problems();
  const field = <A>(key: string, codec: t.Decoder<unknown, A>): A | undefined =>
    inScenario.take(optionalStateField(scenario.value, key, codec), undefined);

  const { cycles } = fixture.value;
  const prices = { ...DEFAULT_PRICES, ...field('resource_prices', ResourcePrices) };
  const token_budget = field('token_budget', PositiveInteger);
  const spawn = spawnPolicyOf(field('model_tiers_available', ModelTiers), field('spawn_architecture_cost_projection', SpawnProjection)?.spawn_cost);
  const competitors = inScenario.take(competitorsOf(scenario.value, cycles), []);
  const offers = inScenario.take(serviceOffersOf(scenario.value), []);

  const inFixture = new Problems();
  const services = inFixture.take(withScriptedOutcomes(offers, fixture.value), []);

  const problems = [
    ...inScenario.list.map((problem) => `${scenario.file}: ${problem}`),
    ...inFixture.list.map((problem) => `${fixture.file}: ${problem}`),
  ];
  if (problems.length > 0) return left(problems);
  return right({
    scenario_id: scenarioId(scenario.value),
    seed: extras.seed,
    agents: [
      {
        id: AGENT_UNDER_TEST,
        balance: scenario.value.initial_state.agent_balance,
        brain: briefed(brain, briefing ?? scenario.value.initial_state),
      },
      ...competitors,
    ],
    cycles,
    prices,
    services,
    human: scriptedHuman(fixture.value.human_responses),
    token_budget,
    workspace: extras.workspace,
    spawn,
  });
}
