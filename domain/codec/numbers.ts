import * as t from 'io-ts';

/** Numeric codecs that are not about credits or resources: counts and chances. */

export const PositiveInteger = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
export const Probability = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1');
