import * as t from 'io-ts';

/** Argument shapes shared by several tools. */

export const PositiveCredits = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive number of credits');
export const Credits = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number of credits');
export const PositiveInteger = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
export const Probability = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1');
