import * as t from 'io-ts';
import { strictObject } from '../../domain/codec/decode';
import { defineBrain, Phase, Reasoning, Reflection, ToolCall, type BrainAction, type BrainAnswer, type BrainLogic, type BrainPrompt } from './protocol';

/**
 * The brain that replays a script. A turn of the phase the script expects next consumes that
 * scripted turn: its actions and the end of the turn go out as one batch; a batch the world cut short
 * at a failed call goes on from the action after it. A turn of another phase (a bidding turn where
 * the script expected the window its bid did not win, or a window the script did not plan for) ends
 * at once and leaves the script where it was; so does every turn once the script is exhausted. What
 * the world answers never changes the script: a refused call is recorded by the agent as a failed
 * `tool_call_completed`, and the script goes on.
 */

/** A scripted action: anything a brain does but end its turn, which the script's turn boundaries do. */
export const ScriptedAction = new t.Type<t.TypeOf<typeof ToolCall> | t.TypeOf<typeof Reasoning> | t.TypeOf<typeof Reflection>>(
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

/** One turn the script expects, and the actions it takes in it; an empty turn waits one cycle. */
export const ScriptTurn = strictObject('ScriptTurn', { phase: Phase, actions: t.array(ScriptedAction) }, {});
export type ScriptTurn = t.TypeOf<typeof ScriptTurn>;

interface ScriptPosition {
  /** The first scripted turn not yet played. */
  readonly next: number;
  /** The actions of the turn being played that were last sent. */
  readonly sent: readonly ScriptedAction[];
}

const END_TURN: BrainAction = { kind: 'end_turn' };

/** The turn's remaining actions and its end, as one batch. */
function play(next: number, actions: readonly ScriptedAction[]): readonly [ScriptPosition, BrainAnswer] {
  return [{ next, sent: actions }, [...actions, END_TURN]];
}

/** What a result of the world leaves of the actions sent: those after the ones performed. */
function remaining(position: ScriptPosition, prompt: BrainPrompt): readonly ScriptedAction[] {
  if (prompt.type === 'actions.performed') return position.sent.slice(prompt.results.length);
  return position.sent.slice(1);
}

export function scriptedBrain({ turns }: { readonly turns: readonly ScriptTurn[] }): BrainLogic {
  return defineBrain<ScriptPosition>({
    initial: () => ({ next: 0, sent: [] }),
    act: (position, prompt) => {
      if (prompt.type !== 'turn.started') return play(position.next, remaining(position, prompt));
      const turn = turns[position.next];
      if (turn === undefined || turn.phase !== prompt.phase) return play(position.next, []);
      return play(position.next + 1, turn.actions);
    },
  });
}
