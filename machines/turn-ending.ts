/** Why a turn ended, as the orchestrator reports it on `execution_terminated`. */
export type TurnEnding =
  | { readonly exit_code: 0; readonly reason: 'completed' | 'window_closed' }
  | { readonly exit_code: 1; readonly reason: string };

/** The brain ended its turn. */
export const COMPLETED: TurnEnding = { exit_code: 0, reason: 'completed' };
/** The brain used up the turn's actions without ending it. */
export const CUT_OFF: TurnEnding = { exit_code: 0, reason: 'window_closed' };
