import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import { strictObject } from '../../domain/codec/decode';
import { PositiveInteger } from '../../domain/codec/numbers';
import { HumanScores } from '../../domain/economy/rewards';
import { Outcome } from '../../domain/economy/events';
import { ScriptTurn } from '../../machines';
import { readJsonFile, type SourceFile } from '../files';

/**
 * A script file (`<id>.<reference|counter>.script.json`), the benchmark's fixture for one scenario:
 * the turns the scripted brain of the agent under test takes, and what the world cannot draw for
 * itself (how many cycles it runs, the human's answers to prompts, the results a provider delivers).
 * The two halves are separate so that a run can take its world fixture from a script and its brain
 * from elsewhere.
 */

export const ScriptKind = t.keyof({ reference: null, counter: null }, 'reference | counter');
export type ScriptKind = t.TypeOf<typeof ScriptKind>;

/** What a script configures of the world, beside the brain's turns. */
const WORLD_FIXTURE_FIELDS = {
  /** How many cycles the world runs; one per bidding turn when absent (a sleeping agent needs more). */
  cycles: PositiveInteger,
  /** The human's scores for the agent's prompts, in the order the prompts are answered; a prompt beyond them stays unanswered. */
  human_responses: t.array(HumanScores),
  /** By service name: the results its provider delivers, in order, before any are drawn from the seed. */
  service_outcomes: t.record(t.string, t.array(Outcome)),
};

export const Script = strictObject(
  'Script',
  {
    scenario_id: t.string,
    kind: ScriptKind,
    /** What behaviour the script shows, in a sentence a reader of the report understands. */
    description: t.string,
    turns: t.array(ScriptTurn),
  },
  {
    /** For a counter script: the names of the verdict checks it must fail, the reason it exists. */
    expected_failures: t.array(t.string),
    ...WORLD_FIXTURE_FIELDS,
  },
);
export type Script = t.TypeOf<typeof Script>;

/** The cycles a script needs: as stated, or one for each bidding turn (at least one). */
export function cyclesOf(script: Script): number {
  return script.cycles ?? Math.max(1, script.turns.filter((turn) => turn.phase === 'bidding').length);
}

/** What a fixture says of the world a run is staged in: how long it runs, the human's answers, the providers' results. */
export interface WorldFixture {
  readonly cycles: number;
  /** The human's scores for the agent's prompts, in the order the prompts are answered. */
  readonly human_responses?: readonly HumanScores[];
  /** By service name: the results its provider delivers, in order, before any are drawn from the seed. */
  readonly service_outcomes?: Readonly<Record<string, readonly Outcome[]>>;
}

export function worldFixtureOf(script: Script): WorldFixture {
  const { human_responses, service_outcomes } = script;
  return { cycles: cyclesOf(script), human_responses, service_outcomes };
}

/** A script file, decoded; every problem names the file and the JSON path of the step, e.g. `$.turns[1].actions[0].kind`. */
export function loadScript(file: string): Either<string[], SourceFile<Script>> {
  return map((value: Script) => ({ file, value }))(readJsonFile(file, Script));
}
