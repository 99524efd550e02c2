import { defineBrain, type BrainAction, type BrainLogic } from './protocol';
import type { Script, ScriptedAction } from '../script';

/**
 * The brain that replays a script. A turn of the phase the script expects next consumes that
 * scripted turn, one action per prompt, then ends it. A turn of another phase (a bidding turn where
 * the script expected the window its bid did not win, or a window the script did not plan for) ends
 * at once and leaves the script where it was; so does every turn once the script is exhausted. What
 * the world answers never changes the script: a refused call is recorded by the agent as a failed
 * `tool_call_completed`, and the script goes on.
 */

interface ScriptPosition {
  /** The first scripted turn not yet played. */
  readonly next: number;
  /** The actions of the turn being played that are still to come. */
  readonly pending: readonly ScriptedAction[];
}

const END_TURN: BrainAction = { kind: 'end_turn' };

function playNext(position: ScriptPosition): readonly [ScriptPosition, BrainAction] {
  const [action, ...rest] = position.pending;
  return action === undefined ? [position, END_TURN] : [{ next: position.next, pending: rest }, action];
}

export function scriptedBrain({ turns }: Pick<Script, 'turns'>): BrainLogic {
  return defineBrain<ScriptPosition>({
    initial: () => ({ next: 0, pending: [] }),
    act: (position, prompt) => {
      if (prompt.type !== 'turn.started') return playNext(position);
      const turn = turns[position.next];
      if (turn === undefined || turn.phase !== prompt.phase) return [{ next: position.next, pending: [] }, END_TURN];
      return playNext({ next: position.next + 1, pending: turn.actions });
    },
  });
}
