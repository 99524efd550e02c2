import * as t from 'io-ts';
import { strictObject } from '../domain/decode';
import { HumanScores } from '../domain/rewards';
import { Phase, Reasoning, Reflection, ToolCall } from './brains/protocol';
import { PositiveInteger } from '../domain/numbers';

/**
 * A scripted agent (the brain replayed from a scenario's script file): the turns the agent takes, in
 * order. Each turn is a phase and the actions the agent performs in it; an empty turn waits one cycle.
 * Turn boundaries are explicit, so a script never has to guess when the world moves on. Besides the
 * agent's turns a script may state what the world cannot draw for itself: the human's answers to the
 * agent's prompts and the results a provider delivers.
 */

const ScriptedAction = new t.Type<t.TypeOf<typeof ToolCall> | t.TypeOf<typeof Reasoning> | t.TypeOf<typeof Reflection>>(
  'ScriptedAction',
  (u): u is t.TypeOf<typeof ToolCall> => ToolCall.is(u) || Reasoning.is(u) || Reflection.is(u),
  (u, context) => {
    const kind = t.UnknownRecord.is(u) ? u.kind : undefined;
    if (kind === 'tool') return ToolCall.validate(u, context);
    if (kind === 'reasoning') return Reasoning.validate(u, context);
    if (kind === 'reflection') return Reflection.validate(u, context);
    return t.failure(kind, [...context, { key: 'kind', type: t.string, actual: kind }], '"tool", "reasoning" or "reflection"');
  },
  t.identity,
);
export type ScriptedAction = t.TypeOf<typeof ScriptedAction>;

export const ScriptTurn = strictObject('ScriptTurn', { phase: Phase, actions: t.array(ScriptedAction) }, {});
export type ScriptTurn = t.TypeOf<typeof ScriptTurn>;

export const ScriptKind = t.keyof({ reference: null, counter: null }, 'reference | counter');
export type ScriptKind = t.TypeOf<typeof ScriptKind>;

export const ServiceResult = t.keyof({ success: null, failure: null }, 'success | failure');

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
    /** How many cycles the world runs; one per bidding turn when absent (a sleeping agent needs more). */
    cycles: PositiveInteger,
    /** The human's scores for the agent's prompts, in the order the prompts are answered; a prompt beyond them stays unanswered. */
    human_responses: t.array(HumanScores),
    /** By service name: the results its provider delivers, in order, before any are drawn from the seed. */
    service_outcomes: t.record(t.string, t.array(ServiceResult)),
  },
);
export type Script = t.TypeOf<typeof Script>;

/** The cycles a script needs: as stated, or one for each bidding turn (at least one). */
export function cyclesOf(script: Script): number {
  return script.cycles ?? Math.max(1, script.turns.filter((turn) => turn.phase === 'bidding').length);
}
