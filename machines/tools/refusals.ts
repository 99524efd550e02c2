import type { Phase } from '../brains/protocol';

/**
 * The reasons a tool call is refused because the call itself is malformed: it names a tool, service,
 * tier or workspace the world does not have, its arguments do not decode, or it is not open in the
 * phase. Every other failure (a refused bid, a provider's failure, a patch that does not apply) is the
 * world's answer to a well-formed call. The tools give these reasons only through `MalformedCallReason`,
 * so a new one is listed here or does not type-check; the harness reads the list to tell a script step
 * that could not be performed from one the world answered.
 */
export const MALFORMED_CALL_REASONS = [
  'unknown_tool',
  'unknown_service',
  'unknown_model_tier',
  'no_workspace',
  'not_allowed_while_bidding',
  'not_allowed_while_executing',
  'invalid_arguments',
  'invalid_bundle',
] as const;
export type MalformedCallReason = (typeof MALFORMED_CALL_REASONS)[number];

/** The reason, followed by what was wrong when there is more to say: `invalid_arguments: $.arguments.amount: …`. */
export function malformedCallReason(reason: MalformedCallReason, detail?: string): string {
  return detail === undefined ? reason : `${reason}: ${detail}`;
}

/** The reason for a call of a tool that is not open in the turn's phase. */
export function notOpenIn(phase: Phase): MalformedCallReason {
  return `not_allowed_while_${phase}`;
}

/** Whether a failed call's reason says the call was malformed, with or without its detail. */
export function isMalformedCallReason(reason: string | undefined): boolean {
  return reason !== undefined && MALFORMED_CALL_REASONS.some((refusal) => reason === refusal || reason.startsWith(`${refusal}:`));
}
